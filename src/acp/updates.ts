/**
 * owlet's turn as ACP `session/update` notifications (Agent Client Protocol v1, `@agentclientprotocol/sdk`'s
 * SessionUpdate): streamed text as `agent_message_chunk`, reasoning as `agent_thought_chunk`, each tool call as
 * `tool_call` (title, kind, locations, raw input) and its outcome as `tool_call_update` (status, the output, and
 * for fs_edit / fs_write a `diff`), and a stored conversation replayed the same way for session/load.
 */
import { isAbsolute, join } from "node:path";
import type { SessionUpdate, ToolCallContent, ToolKind } from "@agentclientprotocol/sdk";
import type { Message } from "../message/types.ts";

/** ACP's tool kinds for owlet's tools (unknown tools are `other`). */
const KINDS: Record<string, ToolKind> = {
  fs_read: "read",
  fs_ls: "read",
  fs_glob: "search",
  fs_grep: "search",
  fs_edit: "edit",
  fs_write: "edit",
  bash: "execute",
  select_category: "think",
};

/** The tool's ACP kind. */
export function toolKind(name: string): ToolKind {
  return KINDS[name] ?? "other";
}

/** A tool call's arguments parsed, or `{ raw }` for text that is not a JSON object. */
export function parseArgs(args: string): Record<string, unknown> {
  try {
    const v = JSON.parse(args);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : { raw: args };
  } catch {
    return { raw: args };
  }
}

/** The title an editor shows for a call, e.g. `bash: npm test`, `fs_edit src/a.ts`. */
export function toolTitle(name: string, input: Record<string, unknown>): string {
  if (typeof input.command === "string") return `${name}: ${clip(input.command, 120)}`;
  if (typeof input.path === "string") return `${name} ${input.path}`;
  if (typeof input.pattern === "string") return `${name} ${clip(input.pattern, 80)}`;
  if (typeof input.category === "string") return `${name}: ${input.category}`;
  return name;
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** The absolute path a file tool's call names, for `locations` and diffs. */
function callPath(input: Record<string, unknown>, cwd: string): string | undefined {
  if (typeof input.path !== "string") return undefined;
  return isAbsolute(input.path) ? input.path : join(cwd, input.path);
}

/** The `tool_call` update that announces a call (status pending; `in_progress` once it runs). */
export function toolCallUpdate(id: string, name: string, args: string, cwd: string): SessionUpdate {
  const input = parseArgs(args);
  const path = callPath(input, cwd);
  return {
    sessionUpdate: "tool_call",
    toolCallId: id,
    title: toolTitle(name, input),
    kind: toolKind(name),
    status: "pending",
    rawInput: input,
    ...(path ? { locations: [{ path }] } : {}),
  };
}

/**
 * The `tool_call_update` with a call's outcome: `completed` or `failed`, the output as text content, and for a
 * successful fs_edit (old_string → new_string) or fs_write (the new content) a diff of what changed.
 */
export function toolResultUpdate(
  id: string,
  name: string,
  args: string,
  output: string,
  isError: boolean,
  cwd: string,
): SessionUpdate {
  const input = parseArgs(args);
  const content: ToolCallContent[] = [];
  const path = callPath(input, cwd);
  if (!isError && path && name === "fs_edit" && typeof input.new_string === "string")
    content.push({
      type: "diff",
      path,
      oldText: typeof input.old_string === "string" ? input.old_string : null,
      newText: input.new_string,
    });
  if (!isError && path && name === "fs_write" && typeof input.content === "string")
    content.push({ type: "diff", path, oldText: null, newText: input.content });
  content.push({ type: "content", content: { type: "text", text: output } });
  return {
    sessionUpdate: "tool_call_update",
    toolCallId: id,
    status: isError ? "failed" : "completed",
    content,
    rawOutput: { output, is_error: isError },
  };
}

/**
 * A stored conversation as the updates that show it again (session/load): user text as `user_message_chunk`,
 * the model's text and reasoning as agent chunks, each call with its result.
 */
export function replayUpdates(history: readonly Message[], cwd: string): SessionUpdate[] {
  const calls = new Map<string, { name: string; args: string }>();
  const out: SessionUpdate[] = [];
  for (const m of history) {
    for (const b of m.content) {
      if (b.type === "text" && b.text !== "")
        out.push({
          sessionUpdate: m.role === "user" ? "user_message_chunk" : "agent_message_chunk",
          content: { type: "text", text: b.text },
        });
      else if (b.type === "reasoning")
        out.push({ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: b.text } });
      else if (b.type === "tool_call") {
        calls.set(b.id, { name: b.name, args: b.arguments });
        out.push(toolCallUpdate(b.id, b.name, b.arguments, cwd));
      } else if (b.type === "tool_result") {
        const call = calls.get(b.toolCallId);
        out.push(
          toolResultUpdate(
            b.toolCallId,
            call?.name ?? b.toolName ?? "",
            call?.args ?? "{}",
            b.content,
            b.isError === true,
            cwd,
          ),
        );
      }
    }
  }
  return out;
}
