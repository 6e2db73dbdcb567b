import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { OWLET_BIN } from "../support/fixture-repo.ts";
import { haveRedis, startRedis, type TestRedis } from "../support/redis-server.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";
import { fixAddScript } from "./batch-script.ts";

/**
 * `owlet batch --queue` with two `owlet worker`s on a real Redis (Debian's redis-server, started on a free port
 * for the test): 20 scripted tasks, one worker killed with SIGKILL while it runs tasks. Every task must still get
 * exactly one result: the killed worker's jobs go back on the queue once their locks lapse and the other worker
 * runs them in fresh copies; the killed worker's runs stop and its copies are discarded.
 */

const FIXTURE = fileURLToPath(new URL("../fixtures/repo-add", import.meta.url));

let redis: TestRedis | undefined;
let server: ScriptedServer | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  await server?.close();
  await redis?.stop();
  server = undefined;
  redis = undefined;
});

/** Processes whose environment says they were started by `pid` (the OWLET_PARENT_PID batch runs get). */
function runsStartedBy(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "utf8");
      if (env.split("\0").includes(`OWLET_PARENT_PID=${pid}`)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

describe.skipIf(!haveRedis())("owlet batch --queue on Redis with owlet workers", () => {
  it("20 tasks over 2 workers, one killed with SIGKILL mid-run: every task has exactly one result", async () => {
    const queue = await startRedis();
    redis = queue;
    server = await startScriptedServer(fixAddScript(400));
    const dir = mkdtempSync(join(tmpdir(), "owlet-queue-test-"));
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, "c"),
      XDG_CACHE_HOME: join(home, "k"),
    };
    const config = join(dir, "batch.toml");
    writeFileSync(config, "[batch]\nattempts = 3\nbackoff_ms = 200\nlock_ms = 2000\n");
    const tasks = Array.from({ length: 20 }, (_, i) => ({
      id: `task-${i}`,
      repo: FIXTURE,
      prompt: "fix add",
      check: "node test.js",
    }));
    const file = join(dir, "tasks.jsonl");
    writeFileSync(file, `${tasks.map((t) => JSON.stringify(t)).join("\n")}\n`);
    const out = join(dir, "results.jsonl");
    const workDir = join(dir, "copies");
    const model = [
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "m",
      "--no-two-stage",
    ];
    const start = (args: string[]) => {
      const c = spawn(OWLET_BIN, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
      children.push(c);
      let err = "";
      c.stderr.on("data", (d) => (err += d));
      return { child: c, stderr: () => err };
    };
    const submitter = start([
      "batch",
      file,
      "--out",
      out,
      "--queue",
      queue.url,
      "--config",
      config,
      ...model,
    ]);
    // two workers on one machine, sharing its work directory
    const worker = () =>
      start(["worker", "--queue", queue.url, "-j", "2", "--config", config, "--work-dir", workDir]);
    const doomed = worker();
    const survivor = worker();
    const doomedPid = doomed.child.pid!;
    // kill worker a while it runs tasks: after it finished one, with owlet runs of its own under way
    for (let i = 0; i < 1200; i++) {
      const finished = readFileSync(out, { encoding: "utf8", flag: "a+" }).includes(`:${doomedPid}"`);
      if (finished && runsStartedBy(doomedPid).length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(runsStartedBy(doomedPid).length).toBeGreaterThan(0);
    doomed.child.kill("SIGKILL");

    const code = await new Promise<number | null>((r) => submitter.child.on("close", r));
    expect(code, submitter.stderr()).toBe(0);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
    expect(new Set(lines.map((l) => l.id)).size).toBe(20);
    expect(lines.map((l) => l.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    expect(lines.every((l) => l.status === "success" && l.check_passed === true)).toBe(true);
    // the kill hit a task mid-run: it was tried again, by the worker that survived
    const retried = lines.filter((l) => l.attempt >= 2);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((l) => l.worker.endsWith(`:${survivor.child.pid}`))).toBe(true);
    // the killed worker's runs stopped by themselves, and its partial copies were discarded
    expect(runsStartedBy(doomedPid)).toEqual([]);
    expect(existsSync(join(workDir, `worker-${doomedPid}`))).toBe(false);
    survivor.child.kill("SIGTERM");
    await new Promise((r) => survivor.child.on("close", r));
  }, 240_000);
});
