import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runRouterStats } from "../cli/commands/router-stats.ts";
import { Router } from "./router.ts";
import { saveRouterState } from "./state-store.ts";
import { formatStatsTable, statsFromState } from "./stats.ts";
import { testArm } from "./test-helpers.ts";

function sink() {
  const s = new PassThrough();
  let text = "";
  s.on("data", (d) => {
    text += String(d);
  });
  return { s, text: () => text };
}

async function learnedRouter() {
  const arms = [
    testArm({ id: "cloud/big", priceInputPerMTok: 3, priceOutputPerMTok: 15 }),
    testArm({ id: "local/small", local: true }),
  ];
  const r = new Router({ arms, seed: 2 });
  for (let i = 0; i < 6; i++) {
    const route = await r.selectForTurn({
      prompt: "Fix the crash in parser.ts",
      estimatedPromptTokens: 1000,
      requiresTools: true,
    });
    r.beginRound(route.arm, 1000);
    r.reportRound({
      arm: route.arm,
      usage: { inputTokens: 10_000, outputTokens: 500 },
      ttftMs: 400,
      durationMs: 5_000,
    });
    r.reportTurn({
      arm: route.arm,
      taskType: route.taskType,
      success: i % 2 === 0,
      usage: { inputTokens: 10_000, outputTokens: 500 },
      durationMs: 5_000,
    });
  }
  return r;
}

describe("router stats", () => {
  it("reports arm × task type with observations, posterior mean, cost and speed", async () => {
    const r = await learnedRouter();
    const stats = r.stats();
    expect(stats.rows.reduce((n, x) => n + x.observations, 0)).toBe(6);
    for (const row of stats.rows) {
      expect(row.taskType).toBe("debug");
      expect(row.costPerTurnUSD).toBeCloseTo(row.arm === "cloud/big" ? 0.0375 : 0, 4);
      expect(row.ttftMs).toBe(400);
      expect(row.tokensPerSec).toBe(100);
      expect(row.posteriorMean).toBeGreaterThan(0);
      expect(row.posteriorMean).toBeLessThan(1);
    }
    expect(stats.classifierCounts).toEqual({ heuristic: 6 });
    const table = formatStatsTable(stats);
    expect(table).toMatch(/arm\s+task type\s+turns/);
    expect(table).toMatch(/classifier: heuristic 6/);
  });

  it("says so when nothing was learned", () => {
    expect(
      formatStatsTable(
        statsFromState({ version: 1, updatedAt: 0, bandit: {}, perf: {}, pools: {}, classifierCounts: {} }),
      ),
    ).toMatch(/No routing outcomes/);
  });

  it("runRouterStats prints the table and --json from the state file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "owlet-stats-"));
    try {
      const path = join(dir, "router-state.json");
      await saveRouterState(path, (await learnedRouter()).snapshot());
      const table = sink();
      expect(await runRouterStats({ statePath: path, out: table.s })).toBe(0);
      expect(table.text()).toMatch(/debug/);
      const json = sink();
      expect(await runRouterStats({ json: true, statePath: path, out: json.s })).toBe(0);
      const parsed = JSON.parse(json.text());
      expect(parsed.path).toBe(path);
      expect(parsed.rows.length).toBeGreaterThan(0);
      expect(parsed.rows[0]).toHaveProperty("posteriorMean");
      // corrupt file: warning, empty stats, exit 0
      await writeFile(path, "garbage");
      const out = sink();
      const err = sink();
      expect(await runRouterStats({ statePath: path, out: out.s, err: err.s })).toBe(0);
      expect(err.text()).toMatch(/corrupt/);
      expect(out.text()).toMatch(/No routing outcomes/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
