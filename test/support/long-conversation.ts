/**
 * A scripted model for long conversations (issue 12): it answers summary requests with a structured summary that
 * keeps the fact it finds in the request (as a model would), reads two files per "read part" turn, and answers
 * the closing question from what its request holds. Used by the long-session tests of a local and a cloud arm.
 */
import type { RecordedRequest, ScriptedReply } from "./scripted-server.ts";

/** The fact stated in the first turn. */
export const FACT = "PELICAN-42";
/** The first prompt: states the fact. */
export const FACT_PROMPT = `Remember this for later: the deploy code is ${FACT}. Just say OK.`;
/** The closing question about the fact. */
export const QUESTION = "What is the deploy code I told you at the start?";

/** The prompt of read turn `i` (two files: `part<i>a.txt`, `part<i>b.txt`). */
export function readPrompt(i: number): string {
  return `read part ${i} (part${i}a.txt and part${i}b.txt) and tell me what is in it`;
}

/** Content of a part file: ~2,400 chars, so its saved preview is 2,000 chars. */
export function partText(name: string): string {
  return Array.from({ length: 60 }, (_, k) => `${name} line ${k}: the quick brown fox jumps`).join("\n");
}

/** True for a summary request (owlet's summary system prompt). */
export function isSummaryRequest(body: any): boolean {
  const system = body?.messages?.[0];
  return system?.role === "system" && String(system.content).startsWith("You summarise a coding session");
}

/** The text of a chat message's content (string or parts). */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: any) => p?.text ?? "").join("");
  return "";
}

/** The reply the scripted model gives to one request. */
export function longConversationReply(req: RecordedRequest): ScriptedReply {
  const body = req.body;
  const all = JSON.stringify(body.messages);
  if (isSummaryRequest(body)) {
    const fact = all.includes(FACT) ? `- The user's deploy code is ${FACT}.` : "- (no user facts)";
    return {
      text: `## Goal\nRead the parts the user names.\n## Decisions\n${fact}\n## Files touched\npart files (read only)\n## Open problems\nnone\n## Next step\nanswer the next request`,
    };
  }
  const messages = body.messages as any[];
  const last = messages.at(-1);
  if (last?.role === "tool") {
    // after reading a part's first file, read its second; after the second, answer
    const read = /part(\d+)a line/.exec(contentText(last.content))?.[1];
    if (read !== undefined) {
      return { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: `part${read}b.txt` }) }] };
    }
    return {
      text: `Both files hold numbered lines about a fox. ${"They repeat the same sentence. ".repeat(20)}`,
    };
  }
  const text = contentText(last?.content);
  if (text.includes("Remember this")) return { text: "OK." };
  const part = /read part (\d+)/.exec(text)?.[1];
  if (part !== undefined) {
    return { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: `part${part}a.txt` }) }] };
  }
  if (text.includes("deploy code")) {
    return { text: all.includes(FACT) ? `The deploy code is ${FACT}.` : "I do not know the deploy code." };
  }
  return { text: "ok" };
}

/**
 * Tokens of a recorded request by the 4-chars-per-token estimate over its JSON (messages and tools): an upper
 * bound of what owlet counts (JSON adds quotes and keys), so `≤ window − max_tokens` means it fits.
 */
export function requestTokens(body: any): number {
  return Math.ceil(JSON.stringify({ messages: body.messages, tools: body.tools ?? [] }).length / 4);
}
