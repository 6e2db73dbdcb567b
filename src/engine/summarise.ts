import { outputReserveFor, usableWindow } from "../context/budget.ts";
import { chunkItems } from "../context/compaction-plan.ts";
import { measureSystem } from "../context/measure.ts";
import { SUMMARY_SYSTEM, summaryRequestText, transcriptItems } from "../context/summary.ts";
import type { TokenCounter } from "../context/tokens.ts";
import { addUsage, emptyUsage, textOf, userText } from "../message/build.ts";
import type { Message, Usage } from "../message/types.ts";
import type { ProviderRequest } from "../provider/types.ts";
import { Accumulator } from "../stream/accumulator.ts";
import type { ArmHandle } from "./routing.ts";

/** Most tokens a summary may take: 1,024 (and at most a quarter of a small window, see outputReserveFor). */
export const SUMMARY_MAX_TOKENS = 1024;
/** Longest one summary request may take, ms: 120 s (a CPU model reads a few thousand tokens in that). */
export const SUMMARY_TIMEOUT_MS = 120_000;

/** Input of {@link summarise}. */
export interface SummariseInput {
  /** The arm that writes the summary (the turn's arm, or a configured cheaper one). */
  arm: ArmHandle;
  /** The part of the history to summarise (may start with an earlier summary, which is carried on). */
  messages: Message[];
  /** What to keep in focus (`/compact <focus>`, a PreCompact hook's instructions). */
  focus?: string;
  /** Token counter of the summary arm. */
  counter: TokenCounter;
  signal: AbortSignal;
  /** Longest one request may take, ms; default {@link SUMMARY_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Sees every request before it is sent (tests, `--verbose`). */
  onRequest?: (request: ProviderRequest) => void;
}

/** What {@link summarise} produced: the summary text, the usage of its requests (tokens) and their number. */
export interface SummaryOutcome {
  summary: string;
  usage: Usage;
  requests: number;
}

/**
 * Has `arm` write the structured summary (context/summary.ts) of `messages`: one request without tools, or, when
 * the transcript does not fit the arm's window, a rolling summary over chunks (each request carries the summary
 * so far and the next chunk), so every request fits: with a known window, system prompt + request text + the
 * reserved answer stay within the usable window (budget.ts margins). Throws an Error when the window is too
 * small to hold any transcript, the model returns no text, the stream fails (ProviderError) or a request takes
 * longer than `timeoutMs`; the caller falls back to dropping rounds.
 */
export async function summarise(input: SummariseInput): Promise<SummaryOutcome> {
  const { arm, counter } = input;
  const items = transcriptItems(input.messages);
  if (items.length === 0) throw new Error("nothing to summarise");
  const window = arm.contextWindow;
  const reserve = window ? outputReserveFor(window, SUMMARY_MAX_TOKENS) : SUMMARY_MAX_TOKENS;
  let chunks: string[][] = [items];
  if (window) {
    const fixed =
      measureSystem(SUMMARY_SYSTEM, counter) + counter.count(summaryRequestText([], "", input.focus));
    // The previous summary of a rolling summary is at most one answer long: `reserve` tokens.
    const budget = usableWindow(window, counter.kind) - fixed - 2 * reserve - 32;
    if (budget < 16) {
      throw new Error(`the ${window}-token window of ${arm.id} is too small to hold a summary request`);
    }
    chunks = chunkItems(items, budget, counter);
  }
  let summary: string | undefined;
  let usage = emptyUsage();
  for (const chunk of chunks) {
    const request: ProviderRequest = {
      model: arm.model,
      system: SUMMARY_SYSTEM,
      messages: [userText(summaryRequestText(chunk, summary, input.focus))],
      tools: [],
      toolChoice: "none",
      maxOutputTokens: reserve,
      temperature: 0,
    };
    if (window) {
      const prompt = measureSystem(request.system, counter) + counter.count(textOf(request.messages[0]!)) + 8;
      request.contextBudget = { promptTokens: prompt, outputReserve: reserve, contextWindow: window };
    }
    input.onRequest?.(request);
    const out = await streamText(arm, request, input.signal, input.timeoutMs ?? SUMMARY_TIMEOUT_MS);
    usage = addUsage(usage, out.usage);
    if (out.text.trim() === "") throw new Error(`${arm.id} returned an empty summary`);
    summary = out.text.trim();
  }
  return { summary: summary!, usage, requests: chunks.length };
}

/** Streams one request to its end and returns the text and usage; throws on stream errors and timeouts. */
async function streamText(
  arm: ArmHandle,
  request: ProviderRequest,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<{ text: string; usage: Usage }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  const acc = new Accumulator();
  try {
    for await (const event of arm.provider.stream({ ...request, signal: both })) acc.apply(event);
  } catch (err) {
    if (timeout.aborted && !signal.aborted) {
      throw new Error(`the summary request to ${arm.id} took longer than ${Math.round(timeoutMs / 1000)} s`);
    }
    throw err;
  }
  const response = acc.response();
  return { text: textOf(response.message), usage: response.usage };
}
