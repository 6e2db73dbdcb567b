import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import type { Tiktoken } from "js-tiktoken/lite";

/**
 * Counts tokens of a text for one model.
 *
 * - `count(text)`: tokens of `text` alone (no message framing).
 * - `kind`: how trustworthy the count is: `model` (the model's own tokenizer, e.g. the embedded GGUF),
 *   `family` (a BPE tokenizer of the model's family: exact for OpenAI models, an approximation for others),
 *   `estimate` (a character heuristic). The budget keeps a safety margin sized by the kind (see budget.ts).
 * - `messageOverhead` / `toolCallOverhead`: framing tokens added per message and per tool call
 *   (role markers, `<tool_call>` wrappers, ids). Default {@link MESSAGE_OVERHEAD_TOKENS} /
 *   {@link TOOL_CALL_OVERHEAD_TOKENS}; read them through {@link overheadsOf}.
 */
export interface TokenCounter {
  count(text: string): number;
  readonly kind: "model" | "family" | "estimate";
  readonly messageOverhead?: number;
  readonly toolCallOverhead?: number;
}

/** Framing tokens per message (role markers, separators): 4, as in gnoma's context.Tracker heuristic. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * Framing tokens per tool call for real tokenizers (model/family): 12. owlet's own figure: the ChatML/Hermes
 * wrapper `<tool_call>\n{"name": …, "arguments": …}\n</tool_call>` and the OpenAI call framing cost about 10
 * tokens besides the name and arguments, which are counted separately.
 */
export const TOOL_CALL_OVERHEAD_TOKENS = 12;

/** Framing tokens per tool call for the estimate: 50, as in gnoma's context.Tracker heuristic ("+50 per tool call"). */
export const ESTIMATE_TOOL_CALL_OVERHEAD_TOKENS = 50;

/** The per-message and per-tool-call framing tokens of `counter` (its own values, else the defaults above). */
export function overheadsOf(counter: TokenCounter): { perMessage: number; perToolCall: number } {
  return {
    perMessage: counter.messageOverhead ?? MESSAGE_OVERHEAD_TOKENS,
    perToolCall: counter.toolCallOverhead ?? TOOL_CALL_OVERHEAD_TOKENS,
  };
}

/** Tokens of `text` by gnoma's tracker heuristic: UTF-8 bytes / 4, rounded up (gnoma divides Go's `len(s)`, i.e. bytes). */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 4);
}

/**
 * The estimate counter, gnoma's context.Tracker heuristic: 4 bytes of UTF-8 per token (rounded up),
 * +4 tokens per message, +50 per tool call. Used when no tokenizer for the model is known.
 */
export const estimateCounter: TokenCounter = {
  kind: "estimate",
  count: estimateTokens,
  messageOverhead: MESSAGE_OVERHEAD_TOKENS,
  toolCallOverhead: ESTIMATE_TOOL_CALL_OVERHEAD_TOKENS,
};

/**
 * Wraps a model's own tokenizer (e.g. the embedded provider's `countTokens(text)`) as a counter of kind `model`.
 * `countTokens` must return the number of tokens of `text` without special tokens.
 */
export function modelCounter(countTokens: (text: string) => number): TokenCounter {
  return { kind: "model", count: countTokens };
}

/** BPE encodings that ship with js-tiktoken and are mapped to model families here. */
export type FamilyEncoding = "o200k_base" | "cl100k_base";

/**
 * The tiktoken encoding for a model name, or undefined when none fits its family:
 * `o200k_base` for GPT-4o/4.1/4.5/5, o1/o3/o4, gpt-oss, codex (exact: OpenAI's own encoding);
 * `cl100k_base` for GPT-4, GPT-3.5 and Claude (Claude's tokenizer is not public; cl100k is the approximation
 * gnoma's tokenizer.ForProvider uses for anthropic). Matching is case-insensitive on the name after any
 * `provider/` prefix. Open-weight families (Llama, Qwen, Mistral, Gemma, SmolLM…) return undefined: their
 * vocabularies differ and the embedded provider counts with the model's own tokenizer instead.
 */
export function encodingForModel(model: string): FamilyEncoding | undefined {
  const name = (model.split("/").pop() ?? model).toLowerCase();
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|o1|o3|o4|gpt-oss|codex)/.test(name)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5|gpt-35|text-embedding)/.test(name)) return "cl100k_base";
  if (/claude/.test(name)) return "cl100k_base";
  return undefined;
}

const encoders = new Map<FamilyEncoding, Tiktoken | null>();

/**
 * Loads (once per process) the js-tiktoken encoder for `encoding`, synchronously through `require` so the
 * 1–2 MB rank tables are only parsed when a count is first needed (CLI start-up stays fast).
 * Returns null when the package cannot be loaded.
 */
function loadEncoder(encoding: FamilyEncoding): Tiktoken | null {
  const cached = encoders.get(encoding);
  if (cached !== undefined) return cached;
  let encoder: Tiktoken | null = null;
  try {
    const require = createRequire(import.meta.url);
    const lite = require("js-tiktoken/lite") as typeof import("js-tiktoken/lite");
    const ranks = require(`js-tiktoken/ranks/${encoding}`) as import("js-tiktoken/lite").TiktokenBPE;
    encoder = new lite.Tiktoken(ranks);
  } catch {
    encoder = null;
  }
  encoders.set(encoding, encoder);
  return encoder;
}

/** Longest run of non-space characters encoded in one piece (js-tiktoken's merge is quadratic in piece length). */
const MAX_RUN_CHARS = 64;

/**
 * Tokens of `text` under `encoder`, with runs of more than {@link MAX_RUN_CHARS} non-space characters (base64
 * blobs, minified code) encoded in 64-character slices: js-tiktoken's byte-pair merge is quadratic in the
 * length of one piece, so a 200 kB run would take minutes. Slicing can only add tokens at the cuts (never
 * undercounts by more than the merges across a cut, i.e. it slightly overcounts in practice).
 */
function countBounded(encoder: Tiktoken, text: string): number {
  const longRun = new RegExp(`\\S{${MAX_RUN_CHARS + 1},}`, "gu");
  let total = 0;
  let last = 0;
  for (const match of text.matchAll(longRun)) {
    const start = match.index;
    if (start > last) total += encoder.encode(text.slice(last, start), [], []).length;
    const run = match[0];
    for (let i = 0; i < run.length; i += MAX_RUN_CHARS) {
      total += encoder.encode(run.slice(i, i + MAX_RUN_CHARS), [], []).length;
    }
    last = start + run.length;
  }
  if (last < text.length) total += encoder.encode(text.slice(last), [], []).length;
  return total;
}

/**
 * A counter for `model`'s family: a lazily loaded js-tiktoken BPE encoder (kind `family`) when
 * {@link encodingForModel} knows one, else {@link estimateCounter}. Special-token text such as
 * `<|endoftext|>` is counted as plain text. If the encoder fails to load, the counter reports kind
 * `estimate` and counts with the estimate.
 */
export function familyCounter(model: string): TokenCounter {
  const encoding = encodingForModel(model);
  if (encoding === undefined) return estimateCounter;
  return {
    get kind() {
      return loadEncoder(encoding) ? "family" : "estimate";
    },
    get toolCallOverhead() {
      return loadEncoder(encoding) ? TOOL_CALL_OVERHEAD_TOKENS : ESTIMATE_TOOL_CALL_OVERHEAD_TOKENS;
    },
    count(text: string): number {
      const encoder = loadEncoder(encoding);
      if (!encoder) return estimateTokens(text);
      return countBounded(encoder, text);
    },
  };
}

/**
 * The best counter for an arm: the model's own tokenizer when the provider offers one (the embedded provider's
 * `countTokens`), else {@link familyCounter} for the model name (which falls back to the estimate).
 */
export function counterFor(model: string, countTokens?: (text: string) => number): TokenCounter {
  return countTokens ? modelCounter(countTokens) : familyCounter(model);
}
