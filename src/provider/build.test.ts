import { describe, expect, it } from "vitest";
import { buildProvider, type ProviderDecorator, type ProviderSpec } from "./build.ts";
import { textToolCalls } from "./textcalls/decorator.ts";
import type { Provider } from "./types.ts";

const cloud: ProviderSpec = { provider: "openai", apiKey: "sk-test-not-used", local: false };

describe("buildProvider", () => {
  it("applies the decorators in order, the first wrapping the base provider, each seeing the spec", async () => {
    const seen: string[] = [];
    const tag =
      (label: string): ProviderDecorator =>
      (inner, spec) => {
        seen.push(`${label}:${inner.name}:${spec.provider}`);
        return { ...inner, name: inner.name, stream: (r) => inner.stream(r), countTokens: () => seen.length };
      };
    const provider = await buildProvider(cloud, [tag("a"), tag("b")]);
    expect(seen).toEqual(["a:openai:openai", "b:openai:openai"]);
    expect(provider.name).toBe("openai");
    expect(provider.countTokens?.("x")).toBe(2);
  });

  it("without decorators returns the base provider; an openai-compatible spec needs a base URL", async () => {
    expect((await buildProvider(cloud)).name).toBe("openai");
    await expect(buildProvider({ provider: "openai-compatible", local: false })).rejects.toMatchObject({
      kind: "bad_request",
    });
  });
});

describe("textToolCalls decorator", () => {
  const inner: Provider = { name: "llamacpp", contextWindow: 4096, stream: async function* () {} };

  it("wraps local arms and arms without native tools, keeping the inner abilities; leaves cloud arms alone", () => {
    expect(textToolCalls(inner, cloud)).toBe(inner);
    const local = textToolCalls(inner, { provider: "llamacpp", local: true });
    expect(local).not.toBe(inner);
    expect(local.contextWindow).toBe(4096);
    expect(textToolCalls(inner, { ...cloud, toolUse: false })).not.toBe(inner);
  });
});
