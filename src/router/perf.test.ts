import { describe, expect, it } from "vitest";
import { updatePerf } from "./perf.ts";

describe("updatePerf", () => {
  it("starts at the first sample, then moves 30 % towards each new one", () => {
    let p = updatePerf({ samples: 0 }, { ttftMs: 100, durationMs: 2_000, outputTokens: 100 });
    expect(p).toEqual({ samples: 1, ttftMs: 100, tokensPerSec: 50 });
    p = updatePerf(p, { ttftMs: 200, durationMs: 1_000, outputTokens: 100 });
    expect(p.ttftMs).toBeCloseTo(130);
    expect(p.tokensPerSec).toBeCloseTo(0.3 * 100 + 0.7 * 50);
  });

  it("keeps TTFT when nothing streamed and skips tokens/s without output", () => {
    const p = updatePerf({ samples: 3, ttftMs: 80, tokensPerSec: 20 }, { durationMs: 500, outputTokens: 0 });
    expect(p).toEqual({ samples: 4, ttftMs: 80, tokensPerSec: 20 });
  });
});
