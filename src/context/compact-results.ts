import type { ContentBlock, Message, ToolResultBlock } from "../message/types.ts";

/** Options of {@link compactPreviousToolResults}. */
export interface CompactResultsOptions {
  /** Where the full result of a tool call was stored (the tool-result store's path), if it was. */
  pathFor?(toolCallId: string): string | undefined;
}

/** What {@link compactPreviousToolResultsCounted} did: the new history and how many result blocks it replaced. */
export interface CompactResultsOutcome {
  messages: Message[];
  compacted: number;
}

/** Prefix of the marker that replaces a compacted result; a result already starting with it is left alone. */
export const PRIOR_RESULT_PREFIX = "[prior result of ";

/** The stored-result header written by the tool-result store (gnoma §4.7): `[Tool result saved: <path>]`. */
const SAVED_HEADER = /^\[Tool result saved: ([^\]\n]+)\]/;

/**
 * The one-line marker for a compacted result: `[prior result of <tool>: <N> chars]`, or
 * `[prior result of <tool>: <N> chars, saved at <path>]` when the full text is stored. N counts UTF-16
 * characters of the original content.
 */
export function priorResultMarker(toolName: string, chars: number, path?: string): string {
  return `${PRIOR_RESULT_PREFIX}${toolName}: ${chars} chars${path ? `, saved at ${path}` : ""}]`;
}

/** The stored path of a result: `pathFor(id)`, else the path in a `[Tool result saved: <path>]` header. */
function storedPath(block: ToolResultBlock, opts: CompactResultsOptions | undefined): string | undefined {
  return opts?.pathFor?.(block.toolCallId) ?? SAVED_HEADER.exec(block.content)?.[1];
}

/**
 * {@link compactPreviousToolResults} that also says how many result blocks it replaced (0 means the returned
 * array holds the original message objects).
 */
export function compactPreviousToolResultsCounted(
  messages: Message[],
  opts?: CompactResultsOptions,
): CompactResultsOutcome {
  let lastAssistant = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === "assistant") {
      lastAssistant = i;
      break;
    }
  }
  let compacted = 0;
  const out = messages.map((message, index) => {
    if (index >= lastAssistant || message.role !== "user") return message;
    let changed = false;
    const content = message.content.map((block): ContentBlock => {
      if (block.type !== "tool_result" || block.content.startsWith(PRIOR_RESULT_PREFIX)) return block;
      const marker = priorResultMarker(block.toolName, block.content.length, storedPath(block, opts));
      if (marker.length >= block.content.length) return block;
      changed = true;
      compacted++;
      return { ...block, content: marker };
    });
    return changed ? { ...message, content } : message;
  });
  return { messages: out, compacted };
}

/**
 * Replaces every tool result that precedes the last assistant message by a one-line marker (see
 * {@link priorResultMarker}); tool-call ids and `isError` are kept, results the model has not answered yet
 * (after the last assistant message) stay intact. Pure: returns a new array, unchanged messages are shared.
 *
 * Borrowed from gnoma's compactPreviousToolResults (§4.8), which writes `[prior result: N chars]`; owlet adds
 * the tool name and the stored path (from `opts.pathFor`, else from the `[Tool result saved: <path>]` header
 * of a persisted result) so the model can read it back. Unlike gnoma, a result shorter than its marker is
 * kept (replacing it would cost tokens), and an existing marker is not re-wrapped.
 */
export function compactPreviousToolResults(messages: Message[], opts?: CompactResultsOptions): Message[] {
  return compactPreviousToolResultsCounted(messages, opts).messages;
}
