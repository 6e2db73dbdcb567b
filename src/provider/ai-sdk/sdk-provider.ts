/**
 * A `Provider` over any AI SDK LanguageModelV4 (OpenAI, Anthropic, Google, Mistral, OpenAI-compatible
 * servers). One `stream` call = one `doStream` request; no retries here (the engine owns retries, and
 * the model-level `doStream` API never retries).
 */
import type { LanguageModelV4, LanguageModelV4StreamResult } from "@ai-sdk/provider";
import type { StreamEvent } from "../../stream/events.ts";
import { classifyError, ProviderError } from "../errors.ts";
import type { Provider, ProviderName, ProviderRequest } from "../types.ts";
import { fromV4Stream } from "./from-stream.ts";
import {
  bridgeToolResultsToUser,
  markToolErrorsAsText,
  toMistralToolCallIds,
  toV4Prompt,
  toV4ToolChoice,
  toV4Tools,
} from "./to-prompt.ts";

/**
 * Providers whose AI SDK wire format drops a tool result's error flag (the result is sent as bare text):
 * their failed results are marked in the text instead (see `markToolErrorsAsText`). Checked against
 * @ai-sdk/openai-compatible 3, @ai-sdk/mistral 4 and ollama-ai-provider-v2 4; Anthropic (`is_error`),
 * OpenAI (`{"error":…}`) and Google (`response.error`) keep the flag themselves.
 */
const NO_WIRE_ERROR_FLAG: ReadonlySet<ProviderName> = new Set<ProviderName>([
  "openai-compatible",
  "llamacpp",
  "lmstudio",
  "mistral",
  "ollama",
]);

/** Construction options: the provider name (used in errors and hints) and a factory from model id to V4 model. */
export interface SdkProviderOptions {
  name: ProviderName;
  /** May resolve asynchronously, so the vendor SDK is imported only when a request is made. */
  model: (modelId: string) => LanguageModelV4 | Promise<LanguageModelV4>;
}

/**
 * Streams requests through an AI SDK V4 model. `stream(req)` converts the request (see to-prompt.ts), calls
 * `doStream({prompt, tools, toolChoice, maxOutputTokens, temperature, seed, abortSignal})` and yields
 * normalised events (see from-stream.ts). Failed tool results are marked "Error: …" in the text for
 * providers whose wire format has no error flag (`NO_WIRE_ERROR_FLAG`); for Mistral an assistant
 * message bridges tool results and a following user message (`bridgeToolResultsToUser`) and tool call
 * ids are rewritten to its 9-character format (`toMistralToolCallIds`).
 * Throws a `ProviderError` (errors.ts) when the request fails before the first event (HTTP status,
 * unreachable endpoint) or mid-stream; an abort through `req.signal` surfaces as the original AbortError.
 * `tools`/`toolChoice` are omitted when `req.tools` is empty.
 */
export class SdkProvider implements Provider {
  readonly name: ProviderName;
  private readonly model: (modelId: string) => LanguageModelV4 | Promise<LanguageModelV4>;

  constructor(opts: SdkProviderOptions) {
    this.name = opts.name;
    this.model = opts.model;
  }

  async *stream(req: ProviderRequest): AsyncGenerator<StreamEvent> {
    const model = await this.model(req.model);
    const tools = toV4Tools(req.tools);
    const toolChoice = toV4ToolChoice(req.toolChoice, tools.length);
    const classifyOpts = req.signal ? { signal: req.signal } : {};
    let prompt = toV4Prompt(req.system, req.messages);
    if (NO_WIRE_ERROR_FLAG.has(this.name)) prompt = markToolErrorsAsText(prompt);
    if (this.name === "mistral") prompt = toMistralToolCallIds(bridgeToolResultsToUser(prompt));
    let result: LanguageModelV4StreamResult;
    try {
      result = await model.doStream({
        prompt,
        ...(tools.length > 0 ? { tools } : {}),
        ...(toolChoice ? { toolChoice } : {}),
        ...(req.maxOutputTokens !== undefined ? { maxOutputTokens: req.maxOutputTokens } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(req.seed !== undefined ? { seed: req.seed } : {}),
        ...(req.signal ? { abortSignal: req.signal } : {}),
      });
    } catch (err) {
      throw classifyError(err, this.name, classifyOpts);
    }
    const notAnApi = webPageError(this.name, result);
    if (notAnApi) {
      await result.stream.cancel().catch(() => {});
      throw notAnApi;
    }
    yield* fromV4Stream(result.stream, this.name, classifyOpts);
  }
}

/**
 * A successful response whose content type is HTML is a web page (a wrong base URL, a proxy's login page),
 * not a model API: retrying cannot help. Returns a non-retryable `not_found` ProviderError (no model API at
 * that URL, as a 404 would say) naming the URL, else undefined.
 */
function webPageError(
  provider: ProviderName,
  result: LanguageModelV4StreamResult,
): ProviderError | undefined {
  const headers = result.response?.headers ?? {};
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";
  if (!/text\/html/i.test(type)) return undefined;
  const url = result.request?.url;
  return new ProviderError({
    kind: "not_found",
    provider,
    retryable: false,
    message: `${provider}: ${url ?? "the endpoint"} answered with a web page (${type}), not a model API stream`,
    hint: "check --base-url: OpenAI-compatible endpoints usually end in /v1 (e.g. http://127.0.0.1:8080/v1)",
  });
}
