import { mkdtempSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Two OpenAI-compatible arms in the project config: a cheap one that fails and a dear one that works. */
async function twoArmRepo(failing: ScriptedServer, working: ScriptedServer): Promise<string> {
  const repo = await fixtureRepo("repo-add");
  await mkdir(join(repo, ".owlet"));
  await writeFile(
    join(repo, ".owlet", "config.toml"),
    [
      "[router]",
      "seed = 1",
      "[[arms]]",
      'id = "cheap"',
      'provider = "openai-compatible"',
      'model = "cheap-model"',
      `base_url = "${failing.baseURL}"`,
      "price_input = 0.01",
      "price_output = 0.01",
      "[[arms]]",
      'id = "dear"',
      'provider = "openai-compatible"',
      'model = "dear-model"',
      `base_url = "${working.baseURL}"`,
      "price_input = 60",
      "price_output = 120",
      "",
    ].join("\n"),
  );
  return repo;
}

describe("router failover end to end", () => {
  it("an arm failing before any content fails over to the next arm, emits a failover event and succeeds", async () => {
    const failing = await startScriptedServer(() => ({
      status: 500,
      errorBody: { error: { message: "boom" } },
    }));
    const working = await startScriptedServer(() => ({ text: "answer from the dear arm" }));
    servers.push(failing, working);
    const repo = await twoArmRepo(failing, working);
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    const run = await runOwlet(["-p", "explain math.js", "--output-format", "stream-json"], {
      cwd: repo,
      home,
    });
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const failover = events.find((e) => e.type === "system" && e.subtype === "failover");
    expect(failover).toMatchObject({ from: "cheap", to: "dear" });
    expect(events.at(-1)).toMatchObject({
      type: "result",
      is_error: false,
      result: "answer from the dear arm",
      arm: "dear",
    });
    expect(failing.requests.length).toBeGreaterThanOrEqual(1);
    expect(working.requests.filter((r) => r.path.includes("chat/completions"))).toHaveLength(1);

    // the session's usage records name the arm that actually served each round
    const sessionId = events.at(-1).session_id as string;
    const lines = readFileSync(join(repo, ".owlet", "sessions", `${sessionId}.jsonl`), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const usage = lines.filter((l) => l.type === "usage");
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.every((u) => u.arm === "dear" && u.round === 1)).toBe(true);

    // the learned state was persisted and `owlet router stats` shows both arms
    const stats = await runOwlet(["router", "stats", "--json"], { cwd: repo, home });
    expect(stats.code, stats.stderr).toBe(0);
    const text = stats.stdout;
    expect(text).toContain("cheap");
    expect(text).toContain("dear");
  });

  it("after content was shown, the error is reported instead of failing over", async () => {
    const cutting = await startScriptedServer(() => ({
      text: ["partial ", "answer ", "that ", "breaks"],
      dropAfterChunks: 3,
    }));
    const working = await startScriptedServer(() => ({ text: "never used" }));
    servers.push(cutting, working);
    const repo = await twoArmRepo(cutting, working);
    const run = await runOwlet(["-p", "explain math.js", "--output-format", "stream-json"], { cwd: repo });
    expect(run.code).toBe(1);
    const events = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.some((e) => e.subtype === "failover")).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "result", is_error: true });
    expect(working.requests.filter((r) => r.path.includes("chat/completions"))).toHaveLength(0);
  });
});
