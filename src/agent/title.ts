/** A session's title: its first prompt, or a short one a cloud model writes in parallel with the first turn. */
import type { ArmHandle } from "../engine/routing.ts";
import { textOf, userText } from "../message/build.ts";
import { Accumulator } from "../stream/accumulator.ts";

/** Longest title kept, chars. */
export const TITLE_MAX_CHARS = 80;
/** Longest wait for a model-written title, ms. */
export const TITLE_TIMEOUT_MS = 15_000;
/** Longest a turn's end waits for a title still being written, ms (it had the whole turn to arrive). */
export const TITLE_GRACE_MS = 2_000;

/** The title from a prompt: its first non-empty line, whitespace collapsed, cut to {@link TITLE_MAX_CHARS} with `…`. */
export function promptTitle(prompt: string): string {
  const line = prompt.split("\n").find((l) => l.trim() !== "") ?? "";
  const flat = line.replace(/\s+/g, " ").trim();
  return flat.length > TITLE_MAX_CHARS ? `${flat.slice(0, TITLE_MAX_CHARS - 1)}…` : flat || "(empty prompt)";
}

/**
 * A title of at most six words written by `arm` for a session that starts with `prompt` (one request, no tools,
 * ≤ 24 output tokens, {@link TITLE_TIMEOUT_MS} at most). Undefined when the request fails or gives no text: the
 * prompt title stays. Never throws.
 */
export async function modelTitle(
  arm: ArmHandle,
  prompt: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const acc = new Accumulator();
  const timeout = AbortSignal.timeout(TITLE_TIMEOUT_MS);
  try {
    for await (const event of arm.provider.stream({
      model: arm.model,
      system: "You name coding sessions. Reply with a title of at most six words, no quotes, nothing else.",
      messages: [userText(`The session starts with this request:\n${prompt.slice(0, 2000)}`)],
      tools: [],
      toolChoice: "none",
      maxOutputTokens: 24,
      temperature: 0,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }))
      acc.apply(event);
  } catch {
    return undefined;
  }
  const text = textOf(acc.response().message).replace(/^["'\s#]+|["'\s.]+$/g, "");
  return text ? promptTitle(text) : undefined;
}
