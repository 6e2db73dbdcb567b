/**
 * Reading owlet's `--output-format stream-json` (Claude Code's shapes) in tests: the lines, the tool calls of its
 * assistant messages, the tool results of its user messages, and owlet's own events (system subtypes).
 */

/** Every JSON line of a stream-json stdout, in order. */
export function streamLines(stdout: string): any[] {
  return stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** The tool_use blocks of the assistant messages, in order: `{id, name, input}`. */
export function toolUses(lines: any[]): { id: string; name: string; input: any }[] {
  return lines
    .filter((l) => l.type === "assistant")
    .flatMap((l) => l.message.content)
    .filter((b: any) => b.type === "tool_use");
}

/** The tool_result blocks of the user messages, in order: `{tool_use_id, content, is_error?}`. */
export function toolResults(lines: any[]): { tool_use_id: string; content: string; is_error?: boolean }[] {
  return lines
    .filter((l) => l.type === "user")
    .flatMap((l) => l.message.content)
    .filter((b: any) => b.type === "tool_result");
}

/** owlet's events of one kind (`routing`, `round_start`, `failover`, …), emitted as `system` lines of that subtype. */
export function systemEvents(lines: any[], subtype: string): any[] {
  return lines.filter((l) => l.type === "system" && l.subtype === subtype);
}
