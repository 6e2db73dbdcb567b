import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_PICK } from "../../src/engine/two-stage.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { streamLines, systemEvents, toolResults, toolUses } from "../support/stream-json.ts";
import { testModelPath } from "./model-path.ts";

/**
 * The real small model end to end: `owlet -p` with the embedded provider and SmolLM2-135M on a fixture git
 * repository. A 135M model rarely solves anything; what must hold is the structure: the turn completes within
 * --max-turns with exit 0, or fails clearly (exit 1, an error in the result) without crashing; two-stage
 * routing is on for this small local arm; every tool call is answered; the session is on disk.
 */
describe("owlet -p with the embedded SmolLM2-135M", () => {
  it("completes a turn on a real repository or fails clearly, within --max-turns", async () => {
    const model = testModelPath();
    const repo = await fixtureRepo("repo-add");
    const run = await runOwlet(
      [
        "-p",
        "what does math.js do?",
        "--provider",
        "embedded",
        "--model",
        model,
        "--max-turns",
        "6",
        "--output-format",
        "stream-json",
        "--seed",
        "7",
      ],
      { cwd: repo, timeoutMs: 240_000 },
    );
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const events = streamLines(run.stdout);
    const routing = systemEvents(events, "routing")[0];
    expect(routing).toMatchObject({ provider: "embedded", two_stage: true });
    const rounds = systemEvents(events, "round_start");
    expect(rounds.length).toBeGreaterThanOrEqual(1);
    expect(rounds[0].tools).toEqual(["select_category"]);
    expect(rounds[0].tool_choice).toBe("required");
    // round 1 is grammar-forced: its call is a valid select_category
    const calls = toolUses(events);
    // math.js, which the prompt names, is read for the small model before its first round
    expect(calls[0]).toMatchObject({ name: "fs_read", input: { path: "math.js" } });
    const pick = calls.find((c) => c.name === "select_category");
    expect(pick, JSON.stringify(calls)).toBeDefined();
    expect(BUILTIN_PICK).toContain(pick!.input.category);
    // every tool call got exactly one result
    const results = toolResults(events);
    expect(results.map((r) => r.tool_use_id).sort()).toEqual(calls.map((c) => c.id).sort());
    const result = events.at(-1);
    expect(result.type).toBe("result");
    expect(result.num_turns).toBeLessThanOrEqual(6);
    expect(result.usage.input_tokens).toBeGreaterThan(0);
    if (run.code === 0) expect(result.is_error).toBe(false);
    else expect(typeof result.error).toBe("string");
    const session = await readFile(join(repo, ".owlet", "sessions", `${result.session_id}.jsonl`), "utf8");
    expect(session.trim().split("\n").length).toBeGreaterThan(2);
    // the model could not have changed the repository's code through a read-only question in auto mode
    expect(await readFile(join(repo, "math.js"), "utf8")).toContain("return a - b;");
  });
});
