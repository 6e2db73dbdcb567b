import type { Provider, ProviderRequest } from "../../src/provider/types.ts";
import type { StreamEvent } from "../../src/stream/events.ts";

/** Streams one request to the end and returns every event in order. */
export async function collect(provider: Provider, request: ProviderRequest): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of provider.stream(request)) events.push(event);
  return events;
}

/** Checks the stream contract of events.ts (calls open before they close, usage before one final finish) and
 * returns a description of the first violation, or undefined when the order is valid. */
export function orderViolation(events: readonly StreamEvent[]): string | undefined {
  const open = new Set<string>();
  const finishes = events.filter((e) => e.type === "finish").length;
  if (finishes !== 1) return `expected exactly one finish event, got ${finishes}`;
  if (events.at(-1)?.type !== "finish") return "finish is not the last event";
  for (const e of events) {
    if (e.type === "tool_call_start") {
      if (open.has(e.id)) return `tool call ${e.id} started twice`;
      open.add(e.id);
    } else if (e.type === "tool_call_delta" && !open.has(e.id)) return `delta for unopened call ${e.id}`;
    else if (e.type === "tool_call_done") {
      if (!open.has(e.id)) return `done for unopened call ${e.id}`;
      open.delete(e.id);
    }
  }
  return open.size > 0 ? `calls never finished: ${[...open].join(", ")}` : undefined;
}
