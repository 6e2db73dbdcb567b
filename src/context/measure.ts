import type { Message } from "../message/types.ts";
import type { ProviderRequest, ToolSchema } from "../provider/types.ts";
import { overheadsOf, type TokenCounter } from "./tokens.ts";

/** Tokens of one request by part. `total` = `system` + `tools` + `history` (all in tokens). */
export interface RequestParts {
  system: number;
  tools: number;
  history: number;
  total: number;
}

/** Tokens of the system prompt: its text plus one message overhead (0 when the prompt is empty). */
export function measureSystem(system: string, counter: TokenCounter): number {
  if (system === "") return 0;
  return counter.count(system) + overheadsOf(counter).perMessage;
}

/**
 * Tokens of one tool schema: the JSON text `{"name","description","parameters"}` (the shape the OpenAI and
 * Anthropic APIs render into the prompt) plus one message overhead.
 */
export function measureTool(tool: ToolSchema, counter: TokenCounter): number {
  const json = JSON.stringify({
    name: tool.name,
    description: tool.description,
    parameters: tool.inputSchema,
  });
  return counter.count(json) + overheadsOf(counter).perMessage;
}

/**
 * Tokens of one history message: one message overhead, plus per block: text and reasoning text; a tool call's
 * name and arguments plus the per-tool-call overhead; a tool result's content plus one message overhead
 * (OpenAI-style APIs send each result as its own `tool` message).
 */
export function measureMessage(message: Message, counter: TokenCounter): number {
  const { perMessage, perToolCall } = overheadsOf(counter);
  let tokens = perMessage;
  for (const block of message.content) {
    switch (block.type) {
      case "text":
      case "reasoning":
        tokens += counter.count(block.text);
        break;
      case "tool_call":
        tokens += counter.count(block.name) + counter.count(block.arguments) + perToolCall;
        break;
      case "tool_result":
        tokens += counter.count(block.content) + perMessage;
        break;
    }
  }
  return tokens;
}

/** Per-counter cache of message costs keyed by message identity, checked against a cheap content fingerprint. */
const messageCache = new WeakMap<TokenCounter, WeakMap<Message, { fingerprint: string; tokens: number }>>();

function fingerprint(message: Message): string {
  let sizes = message.role;
  for (const block of message.content) {
    switch (block.type) {
      case "text":
      case "reasoning":
        sizes += `|${block.type[0]}${block.text.length}`;
        break;
      case "tool_call":
        sizes += `|c${block.name.length}:${block.arguments.length}`;
        break;
      case "tool_result":
        sizes += `|r${block.content.length}`;
        break;
    }
  }
  return sizes;
}

/**
 * {@link measureMessage} with a cache: history messages are re-measured on every request of a turn, and a real
 * BPE tokenizer costs ~0.4 ms per kB. The cache is keyed by message object and checked against the block
 * sizes, so an in-place edit that changes a length is re-counted (treat messages as immutable regardless).
 */
export function measureMessageCached(message: Message, counter: TokenCounter): number {
  let cache = messageCache.get(counter);
  if (!cache) {
    cache = new WeakMap();
    messageCache.set(counter, cache);
  }
  const print = fingerprint(message);
  const hit = cache.get(message);
  if (hit && hit.fingerprint === print) return hit.tokens;
  const tokens = measureMessage(message, counter);
  cache.set(message, { fingerprint: print, tokens });
  return tokens;
}

/**
 * Tokens of a whole request by part (system prompt, tool schemas, history), as counted by `counter`.
 * Feeds `--verbose` output, the budget (budget.ts) and the benchmark's "tokens per request by part".
 * `total` is exactly `system + tools + history`.
 */
export function measureRequest(request: ProviderRequest, counter: TokenCounter): RequestParts {
  const system = measureSystem(request.system, counter);
  let tools = 0;
  for (const tool of request.tools) tools += measureTool(tool, counter);
  let history = 0;
  for (const message of request.messages) history += measureMessageCached(message, counter);
  return { system, tools, history, total: system + tools + history };
}

/**
 * One line for `--verbose` output: `tokens: system 57 + tools 312 + history 1024 = 1393 (estimate)`, followed by
 * `; window 4096, 1024 kept for the answer` when the window is known.
 */
export function describeParts(
  parts: RequestParts,
  info?: { kind?: TokenCounter["kind"]; contextWindow?: number; outputReserve?: number },
): string {
  let line = `tokens: system ${parts.system} + tools ${parts.tools} + history ${parts.history} = ${parts.total}`;
  if (info?.kind) line += ` (${info.kind})`;
  if (info?.contextWindow !== undefined) {
    line += `; window ${info.contextWindow}`;
    if (info.outputReserve !== undefined) line += `, ${info.outputReserve} kept for the answer`;
  }
  return line;
}
