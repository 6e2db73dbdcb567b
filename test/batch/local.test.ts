import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { OWLET_BIN } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";
import { fixAddScript } from "./batch-script.ts";

/**
 * `owlet batch` on one machine, end to end: the built CLI, the scripted model server, real working copies and
 * checks (`node test.js` of the repo-add fixture).
 */

const FIXTURE = fileURLToPath(new URL("../fixtures/repo-add", import.meta.url));

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function tasksFile(tasks: object[]): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "owlet-batch-test-"));
  const file = join(dir, "tasks.jsonl");
  writeFileSync(file, `${tasks.map((t) => JSON.stringify(t)).join("\n")}\n`);
  return { dir, file };
}

const model = (s: ScriptedServer) => [
  "--provider",
  "openai-compatible",
  "--base-url",
  s.baseURL,
  "--model",
  "m",
  "--no-two-stage",
];

const records = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("owlet batch (local workers)", () => {
  it("runs each task in its own copy, one result line each with status, check, tokens, diff and session; resumes", async () => {
    server = await startScriptedServer(fixAddScript());
    const { dir, file } = tasksFile([
      { id: "fix-1", repo: FIXTURE, prompt: "fix add in math.js", check: "node test.js" },
      { id: "fix-2", repo: FIXTURE, prompt: "fix add in math.js", check: "node test.js" },
      { id: "look", repo: FIXTURE, prompt: "only look at math.js", check: "node test.js" },
      { id: "no-repo", repo: "./missing", prompt: "fix it" },
    ]);
    const out = join(dir, "results.jsonl");
    const run = await runOwlet(["batch", file, "--out", out, "-j", "2", ...model(server)], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    // a failed check makes the batch exit 1; the summary table is on stdout
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/fix-1\s+success\s+pass/);
    expect(run.stdout).toMatch(/4 tasks: 3 success, checks 2\/3 passed/);
    const byId = new Map(records(out).map((r) => [r.id, r]));
    expect([...byId.keys()].sort()).toEqual(["fix-1", "fix-2", "look", "no-repo"]);
    const fix = byId.get("fix-1");
    expect(fix).toMatchObject({ status: "success", check_passed: true, exit_code: 0, rounds: 3 });
    expect(fix.tool_calls).toEqual({ fs_read: 1, fs_edit: 1 });
    expect(fix.tokens.input).toBeGreaterThan(0);
    expect(fix.diff).toContain("-  return a - b;\n+  return a + b;");
    expect(fix.wall_ms).toBeGreaterThan(0);
    // the session outlives the discarded working copy
    expect(existsSync(join(`${out}.sessions`, `${fix.session_id}.jsonl`))).toBe(true);
    // a question, not a change: owlet answers (success) and the unchanged code fails its check
    expect(byId.get("look")).toMatchObject({ status: "success", check_passed: false, diff: "" });
    expect(byId.get("no-repo")).toMatchObject({ status: "error", check_passed: null });
    expect(byId.get("no-repo").error).toMatch(/no working copy: repo .*missing: no such directory/);
    // the fixture itself was never changed
    expect(readFileSync(join(FIXTURE, "math.js"), "utf8")).toContain("return a - b;");

    // resume: every task is done, so nothing runs and the model is not asked again
    const asked = server.requests.length;
    const again = await runOwlet(["batch", file, "--out", out, ...model(server)], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(again.stderr).toContain("4 of 4 tasks already in");
    expect(server.requests.length).toBe(asked);
    expect(records(out)).toHaveLength(4);
  }, 120_000);

  it("Ctrl-C finishes the running tasks and starts no more; a rerun does the rest", async () => {
    server = await startScriptedServer(fixAddScript(700));
    const tasks = Array.from({ length: 6 }, (_, i) => ({
      id: `t${i}`,
      repo: FIXTURE,
      prompt: "fix add",
      check: "node test.js",
    }));
    const { dir, file } = tasksFile(tasks);
    const out = join(dir, "results.jsonl");
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, "c"),
      XDG_CACHE_HOME: join(home, "k"),
    };
    const child = spawn(OWLET_BIN, ["batch", file, "--out", out, "-j", "2", ...model(server)], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    // interrupt once the first two tasks are under way
    for (let i = 0; i < 200 && server.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(stderr).toContain("finishing the running tasks");
    expect(code).toBe(130);
    const first = records(out);
    expect(first.length).toBe(2);
    expect(first.every((r) => r.status === "success" && r.check_passed)).toBe(true);
    const rerun = await runOwlet(["batch", file, "--out", out, "-j", "2", ...model(server)], {
      cwd: dir,
      home,
      timeoutMs: 90_000,
    });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(
      records(out)
        .map((r) => r.id)
        .sort(),
    ).toEqual(tasks.map((t) => t.id));
  }, 120_000);

  it("a bad tasks file is one clear line and exit 2", async () => {
    const { dir, file } = tasksFile([{ id: "a", repo: "." }]);
    const run = await runOwlet(["batch", file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tasks\.jsonl:1: prompt:/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
