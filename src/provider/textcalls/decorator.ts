import type { ProviderDecorator } from "../build.ts";
import { withTextToolCalls } from "./text-tool-provider.ts";

/**
 * The text tool-call layer as a {@link ProviderDecorator}: a model without native tool calling (`toolUse`
 * false) gets `always` (tools rendered into the prompt, calls parsed from text); any other local arm, the
 * embedded one included, gets `fallback` (native tools, and calls a small model prints as text are parsed too:
 * Qwen2.5-Coder on the embedded runtime often writes a bare `{"name": …, "arguments": …}` instead of its
 * `<tool_call>` form). A cloud arm with native tools is returned unwrapped.
 */
export const textToolCalls: ProviderDecorator = (provider, spec) => {
  if (spec.toolUse === false) return withTextToolCalls(provider, { mode: "always" });
  if (spec.local) return withTextToolCalls(provider, { mode: "fallback" });
  return provider;
};
