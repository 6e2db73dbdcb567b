/**
 * OpenAI harmony (gpt-oss; vLLM `openai` tool parser, llama.cpp gpt-oss): messages are
 * `<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{…}<|call|>`
 * (the recipient may also come before `<|channel|>`, or before the first token when the output starts
 * right after the prompt's `<|start|>assistant`). A message with a `to=` recipient is a call;
 * the header of any other message (analysis, final) is removed and its text kept.
 */
import type { ParsedCall } from "../calls.ts";
import { resolveToolName } from "../names.ts";
import { findValueEnd, repairJson } from "../repair.ts";
import { readSpecialToken } from "./tokens.ts";

/** Longest header read (characters) between `<|start|>`/`<|channel|>` and `<|message|>`. */
const MAX_HEADER = 300;
const ENDS = new Set(["call", "end", "return", "start", "channel"]);

type Region =
  | { kind: "more" }
  | { kind: "calls"; end: number; calls: ParsedCall[] }
  | { kind: "text"; end: number };

/**
 * The harmony message whose header starts at `j` (`k`: just past the first token). `final`: no more
 * text follows; `cut`: the text was cut off, so an unterminated call body is partial and not a call;
 * `before`: the raw text on the line before `j` (for a recipient written before the header).
 */
export function scanHarmony(
  text: string,
  j: number,
  k: number,
  known: string[],
  final: boolean,
  cut: boolean,
  before = "",
): Region {
  let msg = -1;
  let bodyStart = -1;
  const limit = Math.min(text.length, j + MAX_HEADER);
  for (let at = text.indexOf("<", k); at >= 0 && at < limit; at = text.indexOf("<", at + 1)) {
    const token = readSpecialToken(text, at, !final);
    if (token === "more") return { kind: "more" };
    if (token?.name === "message") {
      msg = at;
      bodyStart = token.end;
      break;
    }
  }
  if (msg < 0) {
    if (!final && text.length < j + MAX_HEADER && !text.slice(k).includes("\n\n")) return { kind: "more" };
    return { kind: "text", end: k };
  }
  const header = text.slice(j, msg);
  // The recipient may also stand before the first token, where the output starts right after the
  // prompt's `<|start|>assistant` (llama.cpp tests/test-chat.cpp, "Tool call with constraint").
  const to = /to=([\w.:-]+)/.exec(header) ?? /(?:^|\s)to=([\w.:-]+)\s*$/.exec(before);
  if (!to) return { kind: "calls", end: bodyStart, calls: [] };
  // The body runs to the next harmony token (<|call|>, <|end|>, …) or the end.
  let stop = -1;
  let end = -1;
  for (let at = text.indexOf("<", bodyStart); at >= 0; at = text.indexOf("<", at + 1)) {
    const token = readSpecialToken(text, at, !final);
    if (token === "more") return { kind: "more" };
    if (token !== undefined && ENDS.has(token.name)) {
      stop = at;
      end = token.name === "start" || token.name === "channel" ? at : token.end;
      break;
    }
  }
  if (stop < 0) {
    if (!final) return { kind: "more" };
    stop = text.length;
    end = text.length;
    const open = text.indexOf("{", bodyStart);
    if (cut && (open < 0 || findValueEnd(text, open) === undefined)) return { kind: "text", end: k };
  }
  // `to=functions.shelljson`: some renderings glue the content type to the name (llama.cpp#15158).
  const recipient = to[1] as string;
  const name =
    resolveToolName(recipient, known) ??
    (recipient.endsWith("json") ? resolveToolName(recipient.slice(0, -4), known) : undefined);
  if (name === undefined) return { kind: "text", end: k };
  const body = text.slice(bodyStart, stop).trim();
  const repaired = body === "" ? { value: {} } : repairJson(body);
  const args =
    repaired && typeof repaired.value === "object" && repaired.value !== null
      ? JSON.stringify(repaired.value)
      : body;
  return { kind: "calls", end, calls: [{ name, arguments: args }] };
}
