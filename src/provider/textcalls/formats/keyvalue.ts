/**
 * Key-value call bodies inside bracketed pseudo-call markers:
 * - VCPToolBox's `<<<[TOOL_REQUEST]>>>` protocol (lioensky/VCPToolBox plugin READMEs):
 *   `tool_name:「始」SciCalculator「末」,\nexpression:「始」2+2「末」` (also `『始』…『末』`);
 * - plain `key: value` lines as in `[TOOL_REQUEST]\ntool: research_search\nquery: …\n[/TOOL_REQUEST]`.
 * The tool name comes from `tool_name`, `tool`, `name` or `function`; the other keys are arguments.
 */
import type { ParsedCall } from "../calls.ts";
import { resolveToolName } from "../names.ts";
import { xmlValue } from "./xml.ts";

const NAME_KEYS = ["tool_name", "tool", "name", "function", "toolname"];
const KEY = /[ \t\r\n,]*([A-Za-z_][\w-]{0,63})[ \t]*[:：][ \t]*/y;
const QUOTES: Record<string, string> = { "「始」": "「末」", "『始』": "『末』" };

/** The call in a key-value body, or `undefined` when the body is not one or names no known tool. */
export function callFromKeyValues(body: string, known: string[]): ParsedCall | undefined {
  const pairs: [string, unknown][] = [];
  let i = 0;
  for (;;) {
    KEY.lastIndex = i;
    const m = KEY.exec(body);
    if (!m) break;
    const key = m[1] as string;
    let at = KEY.lastIndex;
    const open = Object.keys(QUOTES).find((q) => body.startsWith(q, at));
    let value: string;
    if (open !== undefined) {
      const close = body.indexOf(QUOTES[open] as string, at + open.length);
      if (close < 0) return undefined;
      value = body.slice(at + open.length, close);
      at = close + (QUOTES[open] as string).length;
    } else {
      const nl = body.indexOf("\n", at);
      const end = nl < 0 ? body.length : nl;
      value = body.slice(at, end).replace(/,\s*$/, "").trim();
      at = end;
    }
    pairs.push([key, value]);
    i = at;
  }
  if (body.slice(i).trim() !== "" || pairs.length === 0) return undefined;
  const nameEntry = pairs.find(([k]) => NAME_KEYS.includes(k.toLowerCase()));
  if (!nameEntry) return undefined;
  const name = resolveToolName(String(nameEntry[1]), known);
  if (name === undefined) return undefined;
  const args: Record<string, unknown> = {};
  for (const [k, v] of pairs) if (k !== nameEntry[0]) args[k] = xmlValue(String(v));
  return { name, arguments: JSON.stringify(args) };
}
