/**
 * Throughput of `owlet batch` with 2 local workers against 1 (issue 13 target: ≥ 1.8×). The tasks are scripted
 * (test/batch/batch-script.ts on the repo-add fixture: read, edit, answer, then the check `node test.js`); the
 * scripted server waits `BENCH_BATCH_DELAY_MS` (default 2000: a small local model takes seconds per round) before
 * each reply, standing in for the model's time,
 * so the measure is how well the workers overlap, as with a model server that serves two requests at once.
 * `BENCH_BATCH_TASKS` tasks (default 6) per batch, `BENCH_BATCH_REPS` batches per worker count (default 3),
 * alternating 1 and 2 workers. Reports the median wall time per worker count and their ratio; writes
 * bench/results/batch.json. Do not rebuild dist/ while it runs (the test suite's global setup does): the runs use it.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fixAddScript } from "../test/batch/batch-script.ts";
import { startScriptedServer } from "../test/support/scripted-server.ts";
import { median, printTable } from "./stats.ts";

const bin = fileURLToPath(new URL("../bin/owlet", import.meta.url));
const fixture = fileURLToPath(new URL("../test/fixtures/repo-add", import.meta.url));
const delayMs = Number(process.env.BENCH_BATCH_DELAY_MS ?? 2000);
const taskCount = Number(process.env.BENCH_BATCH_TASKS ?? 6);
const reps = Number(process.env.BENCH_BATCH_REPS ?? 3);

const server = await startScriptedServer(fixAddScript(delayMs));
const home = mkdtempSync(join(tmpdir(), "owlet-bench-home-"));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") };

const run = promisify(execFile);

/** One batch of `taskCount` tasks with `workers` workers; returns its wall time, ms (async: the server is ours). */
async function batch(workers: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "owlet-bench-batch-"));
  const file = join(dir, "tasks.jsonl");
  const tasks = Array.from({ length: taskCount }, (_, i) =>
    JSON.stringify({ id: `t${i}`, repo: fixture, prompt: "fix add in math.js", check: "node test.js" }),
  );
  writeFileSync(file, `${tasks.join("\n")}\n`);
  const t0 = performance.now();
  const { stdout } = await run(
    bin,
    [
      "batch",
      file,
      "--out",
      join(dir, "results.jsonl"),
      "-j",
      String(workers),
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "m",
      "--no-two-stage",
    ],
    { cwd: dir, env },
  ).catch((err: { stdout?: string; stderr?: string }) => {
    // a task that did not succeed fails the batch (exit 1): show why, and keep the figure out of the medians
    throw new Error(
      `a batch with ${workers} worker(s) had failing tasks:\n${err.stdout ?? ""}${err.stderr ?? ""}`,
    );
  });
  void stdout;
  const ms = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const wall: Record<1 | 2, number[]> = { 1: [], 2: [] };
for (let r = 0; r < reps; r++) {
  for (const workers of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
    const ms = await batch(workers);
    wall[workers].push(ms);
    console.error(`rep ${r + 1}: ${workers} worker(s) ${(ms / 1000).toFixed(1)} s`);
  }
}
await server.close();
rmSync(home, { recursive: true, force: true });

const m1 = median(wall[1]);
const m2 = median(wall[2]);
const ratio = m1 / m2;
console.log(
  `\nowlet batch: ${taskCount} scripted tasks (${delayMs} ms per model reply), ${reps} batches per worker count\n`,
);
printTable([
  ["workers", "median s", "runs s", "tasks/min"],
  [
    "1",
    (m1 / 1000).toFixed(1),
    wall[1].map((v) => (v / 1000).toFixed(1)).join(" "),
    ((taskCount / m1) * 60000).toFixed(1),
  ],
  [
    "2",
    (m2 / 1000).toFixed(1),
    wall[2].map((v) => (v / 1000).toFixed(1)).join(" "),
    ((taskCount / m2) * 60000).toFixed(1),
  ],
]);
console.log(`\nthroughput ratio (2 workers / 1): ${ratio.toFixed(2)}× (target ≥ 1.8×)`);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/batch.json", import.meta.url),
  `${JSON.stringify({ taskCount, delayMs, reps, wallMs: wall, medianMs: { 1: m1, 2: m2 }, ratio }, null, 2)}\n`,
);
