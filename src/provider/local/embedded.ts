import { basename } from "node:path";
import type {
  ChatHistoryItem,
  ChatModelFunctions,
  GbnfJsonSchema,
  Llama,
  LlamaChatResponse,
  LlamaContext,
  LlamaContextSequence,
  LlamaJsonSchemaGrammar,
  LlamaModel,
} from "node-llama-cpp";
import { LlamaChat } from "node-llama-cpp";
import type { StopReason, Usage } from "../../message/types.ts";
import type { StreamEvent } from "../../stream/events.ts";
import { ProviderError } from "../errors.ts";
import type { Provider, ProviderRequest, ToolSchema } from "../types.ts";
import { EventChannel } from "./embedded-channel.ts";
import { DEFAULT_EMBEDDED_CONTEXT } from "./embedded-defaults.ts";
import { forcedCallInstructions, toChatFunctions, toChatHistory } from "./embedded-history.ts";
import { defaultThreads, sharedLlama, sharedModel } from "./embedded-runtime.ts";
import { forcedCallSchema, objectSchema, stripOptionalNulls } from "./embedded-schema.ts";

export { DEFAULT_EMBEDDED_CONTEXT };
/** Output cap (tokens) of a forced call when the request sets none: a grammar cannot stop a runaway string. */
export const FORCED_CALL_MAX_TOKENS = 2048;
/** Grammars kept per provider (a grammar is compiled once per distinct forced tool set). */
const GRAMMAR_CACHE_SIZE = 16;

/** How to load an embedded model. */
export interface EmbeddedOptions {
  /** Path of the GGUF file. */
  modelPath: string;
  /** Context window in tokens; default 8192, always capped by the model's training context. */
  contextSize?: number;
  /** Evaluation threads; default one fewer than the usable cores (see defaultThreads). */
  threads?: number;
}

/** Measurements of the last request, for benchmarks and `--verbose` (tokens and ms). */
export interface EmbeddedRequestStats {
  /** Tokens of the rendered prompt (system, tool docs, history). */
  promptTokens: number;
  /** Prompt tokens already in the KV cache from the previous request (not evaluated again). */
  reusedPromptTokens: number;
  /** Tokens generated. */
  completionTokens: number;
  /** From the call to the first generated chunk (≈ prompt evaluation time). */
  timeToFirstChunkMs: number | undefined;
  /** From the call to the end of generation. */
  totalMs: number;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chat: LlamaChat;
  contextSize: number;
}

/**
 * The `embedded` provider: a GGUF model run in-process by node-llama-cpp's prebuilt CPU llama.cpp binary
 * (nothing compiled or downloaded). The model is loaded once per path per process; each provider instance owns
 * one context with one sequence, so consecutive requests (the rounds of a turn) reuse the KV cache of their
 * common prompt prefix. Requests on one instance run one at a time, in call order.
 *
 * Tools are rendered by the model's chat wrapper (node-llama-cpp's function calling, in the wrapper's own
 * format); tool choice `required` instead constrains the output with a grammar over `{name, arguments}` built
 * from the offered tools' schemas (see forcedCallSchema), so a forced call always parses, and its instructions
 * are a last user message (so consecutive rounds share their prompt prefix in the KV cache). `none` offers no tools.
 *
 * Events: text_delta / reasoning_delta while generating; tool_call_start (+ tool_call_delta with raw parameter
 * text for native calls) as soon as a call's name is known; tool_call_done (arguments as JSON text, optional
 * properties the model left null removed) at the end; then usage (`inputTokens` = prompt tokens,
 * `cacheReadTokens` = of which reused from the KV cache, `outputTokens` = generated tokens) and finish.
 * Errors: model problems throw an Error naming the path and the fix (`owlet models pull` or `--model`); a prompt
 * that does not fit the context window throws before generating; an aborted `signal` throws its reason (an
 * AbortError) after the events generated so far.
 */
export class EmbeddedProvider implements Provider {
  readonly name = "embedded" as const;
  /** The GGUF path this provider runs. */
  readonly modelPath: string;
  /** Measurements of the last completed request; undefined before the first. */
  lastStats: EmbeddedRequestStats | undefined;

  private readonly options: EmbeddedOptions;
  private loading: Promise<Loaded> | undefined;
  private loaded: Loaded | undefined;
  private queue: Promise<void> = Promise.resolve();
  private callCount = 0;
  private readonly grammars = new Map<string, Promise<LlamaJsonSchemaGrammar<GbnfJsonSchema>>>();

  /** Creates a provider; the model loads on `ready()` or the first `stream()`. */
  constructor(options: EmbeddedOptions) {
    this.options = { ...options };
    this.modelPath = options.modelPath;
  }

  /** Creates a provider and loads its model and context. Throws like {@link EmbeddedProvider.ready}. */
  static async load(options: EmbeddedOptions): Promise<EmbeddedProvider> {
    const provider = new EmbeddedProvider(options);
    await provider.ready();
    return provider;
  }

  /**
   * Loads the model (shared per path) and creates this provider's context. Idempotent. Throws an Error naming
   * the path for a missing, unreadable or non-GGUF file, or when llama.cpp cannot load it or allocate the context.
   */
  async ready(): Promise<void> {
    await this.state();
  }

  /** The context window in tokens (min of the requested size and the model's training context); undefined before `ready()`. */
  get contextWindow(): number | undefined {
    return this.loaded?.contextSize;
  }

  /** Counts the tokens of `text` with the model's own tokenizer (special-token text counts as plain text). Throws when called before `ready()`. */
  countTokens(text: string): number {
    if (!this.loaded)
      throw new Error("EmbeddedProvider.countTokens needs the model loaded: await provider.ready() first");
    return this.loaded.model.tokenize(text).length;
  }

  /** Empties this provider's KV cache, so the next request evaluates its whole prompt (benchmarks use it). */
  async clearCache(): Promise<void> {
    await this.exclusive(async () => {
      if (this.loaded) await this.loaded.sequence.clearHistory();
    });
  }

  /** Frees this provider's context (the shared model stays loaded). The provider cannot be used afterwards. */
  async dispose(): Promise<void> {
    await this.exclusive(async () => {
      const loaded = this.loaded ?? (this.loading ? await this.loading.catch(() => undefined) : undefined);
      this.loaded = undefined;
      this.loading = Promise.reject(new Error("this embedded provider was disposed"));
      this.loading.catch(() => {});
      if (loaded) {
        loaded.chat.dispose();
        await loaded.context.dispose();
      }
    });
  }

  /** Streams one request (see the class docs for the events and errors). */
  async *stream(request: ProviderRequest): AsyncGenerator<StreamEvent> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    await previous;
    try {
      yield* this.generate(request);
    } finally {
      release();
    }
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.queue;
    const run = previous.then(fn);
    this.queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private state(): Promise<Loaded> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<Loaded> {
    try {
      const model = await sharedModel(this.options.modelPath);
      const llama = await sharedLlama();
      const contextSize = Math.max(
        256,
        Math.min(
          this.options.contextSize ?? DEFAULT_EMBEDDED_CONTEXT,
          model.trainContextSize || DEFAULT_EMBEDDED_CONTEXT,
        ),
      );
      const threads = this.options.threads ?? defaultThreads(llama);
      let context: LlamaContext;
      try {
        context = await model.createContext({ contextSize, threads, sequences: 1 });
      } catch (err) {
        throw new Error(
          `cannot create a ${contextSize}-token context for ${this.options.modelPath}: ${err instanceof Error ? err.message : String(err)}. ` +
            "Try a smaller context size or a smaller model.",
        );
      }
      const sequence = context.getSequence();
      const chat = new LlamaChat({ contextSequence: sequence });
      this.loaded = { llama, model, context, sequence, chat, contextSize };
      return this.loaded;
    } catch (err) {
      this.loading = undefined;
      throw err;
    }
  }

  private nextCallId(): string {
    this.callCount += 1;
    return `call_${this.callCount}`;
  }

  private grammarFor(llama: Llama, schema: unknown): Promise<LlamaJsonSchemaGrammar<GbnfJsonSchema>> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      // The schema is built at run time, so node-llama-cpp's compile-time schema typing cannot follow it.
      grammar = llama.createGrammarForJsonSchema(schema as never) as Promise<
        LlamaJsonSchemaGrammar<GbnfJsonSchema>
      >;
      grammar.catch(() => this.grammars.delete(key));
      this.grammars.set(key, grammar);
      if (this.grammars.size > GRAMMAR_CACHE_SIZE) {
        const oldest = this.grammars.keys().next().value;
        if (oldest !== undefined) this.grammars.delete(oldest);
      }
    }
    return grammar;
  }

  private async *generate(request: ProviderRequest): AsyncGenerator<StreamEvent> {
    const signal = request.signal;
    if (signal?.aborted) throw abortError(signal);
    const st = await this.state();
    const tools = request.tools ?? [];
    const choice = tools.length === 0 ? "none" : (request.toolChoice ?? "auto");
    const forced = choice === "required";
    const history = toChatHistory(request.system, request.messages);
    // The forced call's instructions go last, not into the system prompt: the prompt then keeps the previous
    // round's prefix, so the KV cache spares re-reading the whole history on every forced round.
    if (forced) history.push({ type: "user", text: forcedCallInstructions(tools) });
    // With one tool to call the name is known: the reply starts pre-filled up to the arguments, so the model only
    // generates those (a category pick: ~4 tokens instead of ~20, each a full forward pass on a CPU).
    const single = forced && tools.length === 1 ? tools[0] : undefined;
    const prefill = single ? `{"name": ${JSON.stringify(single.name)}, "arguments": ` : "";
    if (single) history.push({ type: "model", response: [prefill] });
    const functions = choice === "auto" ? toChatFunctions(tools) : undefined;
    const prompt = this.measurePrompt(st, history, functions);
    const room = st.contextSize - prompt.tokens - 1;
    if (room < 1) {
      // A ProviderError of kind too_large, so the engine compacts the history and retries as after a 413.
      throw new ProviderError({
        kind: "too_large",
        provider: "embedded",
        retryable: false,
        message: `embedded: the prompt is ${prompt.tokens} tokens but the model's context window is ${st.contextSize} tokens`,
        hint: "shorten the history or system prompt, or raise --context-window (up to the model's training context)",
      });
    }
    const wanted = request.maxOutputTokens ?? (forced ? FORCED_CALL_MAX_TOKENS : room);
    const maxTokens = Math.max(1, Math.min(wanted, room));
    const callSchema = forced ? forcedCallSchema(tools, maxTokens) : undefined;
    const grammar = callSchema
      ? await this.grammarFor(
          st.llama,
          single ? (callSchema as { properties: { arguments: unknown } }).properties.arguments : callSchema,
        )
      : undefined;

    const channel = new EventChannel<StreamEvent>();
    const abort = new AbortController();
    const onAbort = () => abort.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const meterBefore = st.sequence.tokenMeter.getState();
    const started = performance.now();
    let firstChunkAt: number | undefined;
    const markFirst = () => {
      firstChunkAt ??= performance.now();
    };

    // Native calls: callIndex → our id, as their parameters stream.
    const nativeIds = new Map<number, string>();
    // Forced call: raw JSON text so far, and the id once the name is known.
    let forcedText = prefill;
    let forcedId: string | undefined;
    let forcedName: string | undefined;

    const common = {
      signal: abort.signal,
      stopOnAbortSignal: true,
      maxTokens,
      temperature: request.temperature,
      seed: request.seed,
    };
    let finished = false;
    const work: Promise<LlamaChatResponse<ChatModelFunctions | undefined>> = grammar
      ? st.chat.generateResponse(history, {
          ...common,
          grammar,
          onTextChunk: (text: string) => {
            markFirst();
            forcedText += text;
            if (forcedId === undefined) {
              const name = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(forcedText)?.[1];
              if (name !== undefined) {
                forcedId = this.nextCallId();
                forcedName = name;
                channel.push({ type: "tool_call_start", id: forcedId, name });
              }
            }
          },
        })
      : st.chat.generateResponse(history, {
          ...common,
          functions,
          documentFunctionParams: functions ? true : undefined,
          onResponseChunk: (chunk) => {
            markFirst();
            if (chunk.text === "") return;
            if (chunk.type === "segment") channel.push({ type: "reasoning_delta", text: chunk.text });
            else channel.push({ type: "text_delta", text: chunk.text });
          },
          onFunctionCallParamsChunk: (chunk) => {
            markFirst();
            let id = nativeIds.get(chunk.callIndex);
            if (id === undefined) {
              id = this.nextCallId();
              nativeIds.set(chunk.callIndex, id);
              channel.push({ type: "tool_call_start", id, name: chunk.functionName });
            }
            if (chunk.paramsChunk !== "")
              channel.push({ type: "tool_call_delta", id, delta: chunk.paramsChunk });
          },
        });
    work.then(
      () => {
        finished = true;
      },
      () => {
        finished = true;
      },
    );

    let response: LlamaChatResponse<ChatModelFunctions | undefined> | undefined;
    try {
      yield* channel.drain(
        work.then((r) => {
          response = r;
        }),
      );
    } catch (err) {
      if (signal?.aborted || abort.signal.aborted) throw abortError(signal);
      throw new Error(
        `the embedded model failed while generating: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (!finished) {
        // The consumer stopped early: stop generating and wait, so the sequence is free for the next request.
        abort.abort();
        await work.catch(() => {});
      }
    }
    if (signal?.aborted) throw abortError(signal);
    if (!response) throw new Error("the embedded model returned no response");

    const meter = st.sequence.tokenMeter.diff(meterBefore);
    let stopReason: StopReason = mapStopReason(response.metadata.stopReason);
    if (grammar) {
      const generated = forcedText === prefill ? prefill + response.response : forcedText;
      const call = single
        ? this.prefilledCall(grammar, single, generated.slice(prefill.length))
        : this.forcedCall(grammar, tools, generated, forcedName);
      const id = forcedId ?? this.nextCallId();
      if (forcedId === undefined) yield { type: "tool_call_start", id, name: call.name };
      yield { type: "tool_call_done", id, name: call.name, arguments: call.arguments };
      if (call.parsed) stopReason = "tool_use";
    } else {
      const calls = response.functionCalls ?? [];
      for (const [index, call] of calls.entries()) {
        let id = nativeIds.get(index);
        if (id === undefined) {
          id = this.nextCallId();
          yield { type: "tool_call_start", id, name: call.functionName };
        }
        const tool = tools.find((t) => t.name === call.functionName);
        const params = tool ? stripOptionalNulls(call.params, objectSchema(tool.inputSchema)) : call.params;
        yield {
          type: "tool_call_done",
          id,
          name: call.functionName,
          arguments: JSON.stringify(params ?? {}),
        };
      }
      if (calls.length > 0) stopReason = "tool_use";
    }

    const usage: Usage = {
      inputTokens: prompt.tokens,
      outputTokens: meter.usedOutputTokens,
      cacheReadTokens: prompt.reused,
    };
    this.lastStats = {
      promptTokens: prompt.tokens,
      reusedPromptTokens: prompt.reused,
      completionTokens: meter.usedOutputTokens,
      timeToFirstChunkMs: firstChunkAt === undefined ? undefined : firstChunkAt - started,
      totalMs: performance.now() - started,
    };
    yield { type: "usage", usage };
    yield { type: "finish", stopReason, model: request.model || basename(this.modelPath) };
  }

  /**
   * Renders the prompt as node-llama-cpp will (the chat wrapper's context state, ending in an open model
   * response) and compares it with the KV cache: `tokens` in the prompt, `reused` already evaluated (at least one
   * token is always evaluated again to produce logits).
   */
  private measurePrompt(
    st: Loaded,
    history: ChatHistoryItem[],
    functions: ChatModelFunctions | undefined,
  ): { tokens: number; reused: number } {
    const chatHistory: ChatHistoryItem[] =
      history.at(-1)?.type === "model" ? history : [...history, { type: "model", response: [] }];
    const { contextText } = st.chat.chatWrapper.generateContextState({
      chatHistory,
      availableFunctions: functions,
      documentFunctionParams: functions ? true : undefined,
    });
    const tokens = contextText.tokenize(st.model.tokenizer);
    const { firstDifferentIndex } = st.sequence.compareContextTokens(tokens);
    return { tokens: tokens.length, reused: Math.max(0, Math.min(firstDifferentIndex, tokens.length - 1)) };
  }

  /**
   * The call of a pre-filled forced round (one tool, so only its arguments were generated): the arguments with
   * optional nulls removed when they parse, else the raw text so the engine reports them as invalid.
   */
  private prefilledCall(
    grammar: LlamaJsonSchemaGrammar<GbnfJsonSchema>,
    tool: ToolSchema,
    argsText: string,
  ): { name: string; arguments: string; parsed: boolean } {
    try {
      const args = stripOptionalNulls(grammar.parse(argsText), objectSchema(tool.inputSchema));
      return { name: tool.name, arguments: JSON.stringify(args ?? {}), parsed: true };
    } catch {
      return { name: tool.name, arguments: argsText.trim(), parsed: false };
    }
  }

  /**
   * The forced call from the grammar's output: name and arguments (optional nulls removed) when it parses; when
   * generation was cut (max tokens, abort) the raw text after `"arguments":` so the engine reports it as invalid.
   */
  private forcedCall(
    grammar: LlamaJsonSchemaGrammar<GbnfJsonSchema>,
    tools: readonly ToolSchema[],
    text: string,
    nameSoFar: string | undefined,
  ): { name: string; arguments: string; parsed: boolean } {
    try {
      const value = grammar.parse(text) as unknown as { name: string; arguments: unknown };
      const tool = tools.find((t) => t.name === value.name);
      const args = tool
        ? stripOptionalNulls(value.arguments, objectSchema(tool.inputSchema))
        : value.arguments;
      return { name: value.name, arguments: JSON.stringify(args ?? {}), parsed: true };
    } catch {
      const name = nameSoFar ?? tools[0]?.name ?? "";
      const at = text.indexOf('"arguments"');
      const raw = at < 0 ? "" : text.slice(text.indexOf(":", at) + 1).trim();
      return { name, arguments: raw, parsed: false };
    }
  }
}

function mapStopReason(reason: LlamaChatResponse["metadata"]["stopReason"]): StopReason {
  switch (reason) {
    case "maxTokens":
      return "max_tokens";
    case "customStopTrigger":
      return "stop_sequence";
    case "functionCalls":
      return "tool_use";
    default:
      return "end_turn";
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(typeof reason === "string" ? reason : "the request was aborted", "AbortError");
}
