import { describe, expect, it } from "vitest";
import { ProviderError } from "../provider/errors.ts";
import { Backoff, DEFAULT_BACKOFF_MS, errorStatus } from "./backoff.ts";

describe("Backoff", () => {
  it("backs off 5 minutes on a 429 without Retry-After, and expires", () => {
    let t = 1_000;
    const b = new Backoff(() => t);
    expect(
      b.onError(
        "a",
        new ProviderError({
          kind: "transient",
          provider: "openai",
          message: "x",
          statusCode: 429,
          retryable: true,
        }),
      ),
    ).toBe(DEFAULT_BACKOFF_MS);
    expect(b.remainingMs("a")).toBe(DEFAULT_BACKOFF_MS);
    t += DEFAULT_BACKOFF_MS - 1;
    expect(b.remainingMs("a")).toBe(1);
    t += 1;
    expect(b.remainingMs("a")).toBe(0);
  });

  it("honours Retry-After on a 529", () => {
    let t = 0;
    const b = new Backoff(() => t);
    b.onError("a", { statusCode: 529, retryAfterMs: 7_000 });
    expect(b.remainingMs("a")).toBe(7_000);
    t = 7_000;
    expect(b.remainingMs("a")).toBe(0);
  });

  it("ignores other errors", () => {
    const b = new Backoff(() => 0);
    expect(b.onError("a", { statusCode: 500 })).toBeUndefined();
    expect(b.onError("a", new Error("boom"))).toBeUndefined();
    expect(b.remainingMs("a")).toBe(0);
  });

  it("reads status from status or statusCode", () => {
    expect(errorStatus({ status: 429 })).toEqual({ status: 429 });
    expect(errorStatus("x")).toEqual({});
  });
});
