/**
 * The scripted model of the batch tests and bench: for any task on the repo-add fixture it reads math.js, fixes
 * `add`, and answers — three rounds, decided from the request alone (how many tool results it holds), so any
 * number of tasks can share one server. A prompt containing "only look" gets a text answer and no change.
 * `delayMs` before each reply stands in for the model's time.
 */
import type { RecordedRequest, ScriptedReply } from "../support/scripted-server.ts";

export function fixAddScript(delayMs = 0): (req: RecordedRequest) => ScriptedReply {
  return (req) => {
    const messages = (req.body?.messages ?? []) as { role: string; content: unknown }[];
    const prompt = String(messages.find((m) => m.role === "user")?.content ?? "");
    const results = messages.filter((m) => m.role === "tool").length;
    if (prompt.includes("only look")) return { text: "math.js has add and multiply.", delayMs };
    if (results === 0)
      return { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }], delayMs };
    if (results === 1)
      return {
        toolCalls: [
          {
            name: "fs_edit",
            arguments: JSON.stringify({
              path: "math.js",
              old_string: "return a - b;",
              new_string: "return a + b;",
            }),
          },
        ],
        delayMs,
      };
    return { text: "Fixed add.", delayMs };
  };
}
