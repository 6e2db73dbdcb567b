import { fstatSync } from "node:fs";
import { UserError } from "./exit-codes.ts";

/** Most bytes of stdin print mode reads (1 MiB): more would not fit a context window anyway. */
export const MAX_STDIN_BYTES = 1024 * 1024;

/**
 * The print-mode prompt: the `-p` value, else the positional words joined by spaces; stdin is read when it is
 * not a terminal and either there is no prompt yet (stdin is the prompt) or `piped` says stdin is a pipe or a
 * file (then its text is appended after the prompt, as in `git diff | owlet -p "review this"`).
 * Throws UserError (exit 2) when there is no prompt, or stdin is over {@link MAX_STDIN_BYTES}.
 */
export async function readPrompt(
  print: string | boolean | undefined,
  words: readonly string[],
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  piped: boolean = false,
): Promise<string> {
  const fromFlag = typeof print === "string" ? print : "";
  const prompt = [fromFlag, ...words]
    .filter((s) => s.trim() !== "")
    .join(" ")
    .trim();
  const readStdin = stdin.isTTY !== true && (prompt === "" || piped);
  const input = readStdin ? (await readAll(stdin)).trim() : "";
  const full = prompt && input ? `${prompt}\n\n${input}` : prompt || input;
  if (!full) {
    throw new UserError(
      'no prompt: use `owlet -p "your prompt"`, pipe the prompt on stdin, or run `owlet` in a terminal for the interactive UI',
    );
  }
  return full;
}

/**
 * True when file descriptor 0 is a pipe (`cmd | owlet`) or a regular file (`owlet < file`): input the user
 * meant to give. Sockets (how a parent process's spawn pipes look) and character devices are not, so a tool
 * that spawns owlet without closing its stdin does not make it wait forever.
 */
export function stdinIsPipedInput(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isFile();
  } catch {
    return false;
  }
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buf.length;
    if (bytes > MAX_STDIN_BYTES) {
      throw new UserError(
        `stdin is over ${MAX_STDIN_BYTES / 1024 / 1024} MiB: write it to a file in the workspace and name the file in the prompt, so the agent reads the parts it needs`,
      );
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}
