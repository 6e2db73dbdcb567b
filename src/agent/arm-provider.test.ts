import { describe, expect, it } from "vitest";
import { owletConfigSchema } from "../config/schema.ts";
import { isConfiguredLocal, localServerSettings } from "./arm-provider.ts";

describe("[local_server] config", () => {
  it("maps the caps and limits to the local-server provider's settings", () => {
    const config = owletConfigSchema.parse({
      local_server: {
        max_tokens_select: 48,
        max_tokens_write: 4096,
        constrain: false,
        cache_prompt: true,
        generation_seconds: 90,
      },
    });
    expect(localServerSettings(config.local_server)).toEqual({
      caps: { select: 48, write: 4096 },
      constrain: false,
      cachePrompt: true,
      generationSeconds: 90,
    });
    expect(localServerSettings(owletConfigSchema.parse({}).local_server)).toEqual({ caps: {} });
  });

  it("rejects unknown keys and non-positive caps", () => {
    expect(owletConfigSchema.safeParse({ local_server: { max_tokens: 5 } }).success).toBe(false);
    expect(owletConfigSchema.safeParse({ local_server: { max_tokens_call: 0 } }).success).toBe(false);
  });

  it("treats listed base URLs as local, with or without /v1 and a trailing slash", () => {
    const c = owletConfigSchema.parse({
      local_server: { base_urls: ["http://gpu-box:8000/v1"] },
    }).local_server;
    expect(isConfiguredLocal("http://gpu-box:8000", c)).toBe(true);
    expect(isConfiguredLocal("http://gpu-box:8000/v1/", c)).toBe(true);
    expect(isConfiguredLocal("http://other:8000/v1", c)).toBe(false);
    expect(isConfiguredLocal(undefined, c)).toBe(false);
  });
});
