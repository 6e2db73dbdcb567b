import { UserError } from "./exit-codes.ts";

/**
 * The print-mode prompt: the `-p` value, else the positional words joined by spaces, else all of stdin when
 * stdin is not a terminal. Throws UserError (exit 2) when there is none.
 */
export async function readPrompt(
  print: string | boolean | undefined,
  words: readonly string[],
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<string> {
  const fromFlag = typeof print === "string" ? print : "";
  let prompt = [fromFlag, ...words]
    .filter((s) => s.trim() !== "")
    .join(" ")
    .trim();
  if (!prompt && stdin.isTTY !== true) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin)
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    prompt = Buffer.concat(chunks).toString("utf8").trim();
  }
  if (!prompt) {
    throw new UserError(
      'no prompt: use `owlet -p "your prompt"`, or pipe the prompt on stdin (interactive mode is not available yet)',
    );
  }
  return prompt;
}
