/**
 * A provider decorator that gives tools to servers and models without native tool calls, by a text
 * protocol: the tool list goes into the system prompt, calls are parsed out of the streamed text.
 */
import type { ContentBlock, Message, StopReason } from "../../message/types.ts";
import type { StreamEvent } from "../../stream/events.ts";
import type { Provider, ProviderRequest } from "../types.ts";
import { renderToolsForPrompt } from "./render.ts";
import { type StreamChunkResult, TextToolCallStream } from "./stream-parser.ts";

/**
 * `always`: the inner provider never sees tools; every request with tools uses the text protocol.
 * `fallback`: the request (with its native tools) is sent unchanged; calls printed as text are parsed
 * only when the response carried no native tool call (for native-tool servers whose small model still
 * prints calls, e.g. qwen2.5-coder on Ollama, ollama/ollama-vscode#6).
 */
export type TextToolCallMode = "always" | "fallback";

/** Options of `withTextToolCalls`. */
export interface TextToolCallOptions {
  /** Default `always`. */
  mode?: TextToolCallMode;
}

/**
 * Wraps `inner` so tool calls work over plain text. For a request with tools (and a tool choice other
 * than `none`), in `always` mode: `tools` are removed from the inner request, `renderToolsForPrompt`
 * is appended to the system prompt, history tool calls are rewritten as `<tool_call>{…}</tool_call>`
 * text and tool results as user text `<tool_response name="…">…</tool_response>`. The response text
 * is streamed through `TextToolCallStream`: visible text as `text_delta`, each parsed call as
 * `tool_call_start` + `tool_call_done` (ids `call_<n>`, n counting up over this provider's life);
 * the stop reason becomes `tool_use` when calls were parsed (a `max_tokens` stop is kept, so the
 * engine knows the last call may have been cut off and repaired).
 * A `required` tool choice with no call parsed is passed on as is: the decorator never invents calls.
 * Requests without tools, or with tool choice `none` (history still rewritten), pass text through.
 * Errors from `inner` propagate unchanged.
 */
export function withTextToolCalls(inner: Provider, opts: TextToolCallOptions = {}): Provider {
  const mode = opts.mode ?? "always";
  let nextId = 1;
  const newId = (): string => `call_${nextId++}`;
  return {
    name: inner.name,
    // The inner provider's abilities stay visible through the decorator (the budget needs them).
    get contextWindow() {
      return inner.contextWindow;
    },
    ...(inner.countTokens ? { countTokens: (text: string) => inner.countTokens!(text) } : {}),
    stream(request: ProviderRequest): AsyncIterable<StreamEvent> {
      const hasTools = request.tools.length > 0 && request.toolChoice !== "none";
      if (mode === "fallback") {
        return hasTools ? parseFallback(inner.stream(request), request, newId) : inner.stream(request);
      }
      const textRequest: ProviderRequest = {
        ...request,
        tools: [],
        system: hasTools ? joinSystem(request.system, renderToolsForPrompt(request.tools)) : request.system,
        messages: messagesToText(request.messages),
      };
      if (hasTools) textRequest.toolChoice = undefined;
      const events = inner.stream(textRequest);
      return hasTools ? parseAlways(events, request, newId) : events;
    },
  };
}

function joinSystem(system: string, tools: string): string {
  return system.trim() === "" ? tools : `${system}\n\n${tools}`;
}

/**
 * Rewrites tool calls and tool results in `messages` as text of the same protocol the model is asked
 * to use, so a text-only model sees a consistent history. Other blocks are kept.
 */
export function messagesToText(messages: Message[]): Message[] {
  return messages.map((message) => {
    if (!message.content.some((b) => b.type === "tool_call" || b.type === "tool_result")) return message;
    const content: ContentBlock[] = message.content.map((block) => {
      if (block.type === "tool_call")
        return { type: "text", text: toolCallText(block.name, block.arguments) };
      if (block.type === "tool_result") {
        const error = block.isError ? ' error="true"' : "";
        return {
          type: "text",
          text: `<tool_response name="${block.toolName}"${error}>\n${block.content}\n</tool_response>`,
        };
      }
      return block;
    });
    return { role: message.role, content };
  });
}

function toolCallText(name: string, args: string): string {
  let argsJson: string;
  try {
    argsJson = JSON.stringify(JSON.parse(args));
  } catch {
    argsJson = JSON.stringify(args);
  }
  return `<tool_call>{"name": ${JSON.stringify(name)}, "arguments": ${argsJson}}</tool_call>`;
}

async function* parseAlways(
  events: AsyncIterable<StreamEvent>,
  request: ProviderRequest,
  newId: () => string,
): AsyncIterable<StreamEvent> {
  const parser = new TextToolCallStream(request.tools.map((t) => t.name));
  let parsed = 0;
  function* emit(chunk: StreamChunkResult): Generator<StreamEvent> {
    if (chunk.text !== "") yield { type: "text_delta", text: chunk.text };
    for (const call of chunk.calls) {
      const id = newId();
      parsed++;
      yield { type: "tool_call_start", id, name: call.name };
      yield { type: "tool_call_done", id, name: call.name, arguments: call.arguments };
    }
  }
  let finished = false;
  // `usage` comes before `finish`, but calls still held by the parser are only released at the end:
  // hold it so the stream keeps the order of events.ts (calls, then usage, then finish).
  let usage: StreamEvent | undefined;
  for await (const event of events) {
    if (event.type === "text_delta") yield* emit(parser.push(event.text));
    else if (event.type === "usage") usage = event;
    else if (event.type === "finish") {
      yield* emit(parser.end());
      if (usage) yield usage;
      usage = undefined;
      finished = true;
      yield { ...event, stopReason: stopReasonFor(event.stopReason, parsed) };
    } else yield event;
  }
  if (!finished) {
    yield* emit(parser.end());
    if (usage) yield usage;
  }
}

function stopReasonFor(inner: StopReason, parsed: number): StopReason {
  if (parsed === 0 || inner === "max_tokens") return inner;
  return "tool_use";
}

/**
 * Fallback mode: native events pass through; text goes through the parser. Calls parsed from text
 * are held until the end and emitted only when no native tool call was seen (their text is removed
 * from the visible stream either way).
 */
async function* parseFallback(
  events: AsyncIterable<StreamEvent>,
  request: ProviderRequest,
  newId: () => string,
): AsyncIterable<StreamEvent> {
  const parser = new TextToolCallStream(request.tools.map((t) => t.name));
  const held: StreamChunkResult["calls"] = [];
  let native = false;
  const flush = function* (
    stopReason: StopReason | undefined,
  ): Generator<StreamEvent, StopReason | undefined> {
    const rest = parser.end();
    if (rest.text !== "") yield { type: "text_delta", text: rest.text };
    held.push(...rest.calls);
    if (native || held.length === 0) return stopReason;
    for (const call of held) {
      const id = newId();
      yield { type: "tool_call_start", id, name: call.name };
      yield { type: "tool_call_done", id, name: call.name, arguments: call.arguments };
    }
    return stopReason === undefined ? undefined : stopReasonFor(stopReason, held.length);
  };
  let finished = false;
  let usage: StreamEvent | undefined; // held until the parsed calls are out (see parseAlways)
  for await (const event of events) {
    if (event.type === "text_delta") {
      const chunk = parser.push(event.text);
      if (chunk.text !== "") yield { type: "text_delta", text: chunk.text };
      held.push(...chunk.calls);
    } else if (event.type === "usage") {
      usage = event;
    } else if (event.type === "finish") {
      finished = true;
      const stopReason = yield* flush(event.stopReason);
      if (usage) yield usage;
      usage = undefined;
      yield { ...event, stopReason: stopReason ?? event.stopReason };
    } else {
      if (event.type === "tool_call_start") native = true;
      yield event;
    }
  }
  if (!finished) {
    yield* flush(undefined);
    if (usage) yield usage;
  }
}
