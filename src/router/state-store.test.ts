import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bandit } from "./bandit.ts";
import { mulberry32 } from "./prng.ts";
import { emptyRouterState, parseRouterState } from "./state.ts";
import { defaultRouterStatePath, loadRouterState, saveRouterState } from "./state-store.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "owlet-router-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("router state store", () => {
  it("round-trips a state with 0600 file and 0700 folder, leaving no temp file", async () => {
    const b = new Bandit({ rand: mulberry32(1) });
    b.update("openai/gpt", "debug", true, {
      inputTokens: 100,
      outputTokens: 10,
      costUSD: 0.001,
      durationMs: 50,
    });
    const state = {
      ...emptyRouterState(123),
      bandit: b.toState(),
      perf: { "openai/gpt": { samples: 2, ttftMs: 300, tokensPerSec: 40 } },
      classifierCounts: { heuristic: 3 },
    };
    const path = join(dir, "nested", "owlet", "router-state.json");
    await saveRouterState(path, state);
    expect(await loadRouterState(path)).toEqual(state);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "nested", "owlet"))).mode & 0o777).toBe(0o700);
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(join(dir, "nested", "owlet"))).toEqual(["router-state.json"]);
  });

  it("is silent for a missing file", async () => {
    const warnings: string[] = [];
    expect(await loadRouterState(join(dir, "none.json"), (m) => warnings.push(m))).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it.each([["{ not json"], ['{"version": 99}'], ["[]"]])(
    "warns and starts fresh on a corrupt file: %s",
    async (text) => {
      const path = join(dir, "router-state.json");
      await writeFile(path, text);
      const warnings: string[] = [];
      expect(await loadRouterState(path, (m) => warnings.push(m))).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/corrupt.*starting fresh/);
      await saveRouterState(path, emptyRouterState(1));
      expect(JSON.parse(await readFile(path, "utf8")).version).toBe(1);
    },
  );

  it("drops malformed entries but keeps good ones", () => {
    const s = parseRouterState({
      version: 1,
      bandit: {
        a: { debug: { s: 1, f: 2, n: 3, wins: 1 }, nonsense: { s: 1, f: 1, n: 1 }, explain: { s: "x" } },
      },
      perf: { a: { samples: 1, ttftMs: -5 } },
      classifierCounts: { slm: 2, other: 4 },
    });
    expect(s.bandit).toEqual({ a: { debug: { s: 1, f: 2, n: 3, wins: 1 } } });
    expect(s.perf).toEqual({ a: { samples: 1 } });
    expect(s.classifierCounts).toEqual({ slm: 2 });
  });

  it("puts the state under XDG_CONFIG_HOME, else ~/.config", () => {
    expect(defaultRouterStatePath({ XDG_CONFIG_HOME: "/x" })).toBe("/x/owlet/router-state.json");
    expect(defaultRouterStatePath({})).toMatch(/\.config\/owlet\/router-state\.json$/);
  });
});
