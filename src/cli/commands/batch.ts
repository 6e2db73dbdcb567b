import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runLocalBatch } from "../../batch/local.ts";
import {
  parseQueueUrl,
  type QueueAddress,
  type RetrySettings,
  runWorker,
  submitToQueue,
} from "../../batch/queue.ts";
import { readResults, summaryTable } from "../../batch/results.ts";
import { BatchInputError, type BatchTask, readTasks } from "../../batch/tasks.ts";
import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import type { OwletConfig } from "../../config/schema.ts";
import { EXIT } from "../exit-codes.ts";

/** The flags of `owlet batch` and `owlet worker` (commander's camelCase names). */
export interface BatchOptions {
  out?: string;
  workers?: number;
  queue?: string;
  config?: string;
  workDir?: string;
  keep?: boolean;
  provider?: string;
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  contextWindow?: number;
  maxTurns?: number;
  permissionMode?: string;
  sandbox?: string;
  twoStage?: boolean;
  seed?: number;
}

const notify = (message: string) => process.stderr.write(`owlet: ${message}\n`);

/** owlet's flags for every task's run, from the batch's flags (permission mode bypass unless given). */
function owletArgs(opts: BatchOptions, queued: boolean): string[] {
  const args: string[] = [];
  const add = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) args.push(flag, String(value));
  };
  add("--provider", opts.provider);
  add("--model", opts.model);
  add("--base-url", opts.baseUrl);
  if (!queued) add("--api-key", opts.apiKey);
  add("--context-window", opts.contextWindow);
  add("--max-turns", opts.maxTurns);
  // Each task runs in a throwaway copy with bash sandboxed; nobody is there to answer an ask.
  add("--permission-mode", opts.permissionMode ?? "bypass");
  add("--sandbox", opts.sandbox);
  if (opts.twoStage !== undefined) args.push(opts.twoStage ? "--two-stage" : "--no-two-stage");
  add("--seed", opts.seed);
  if (!queued && opts.config) args.push("--config", resolve(opts.config));
  return args;
}

/** Local workers by default: the usable cores over the embedded model's threads (one fewer than the cores), ≥ 1. */
function defaultWorkers(config: OwletConfig): number {
  const cores = availableParallelism();
  if (config.batch.workers) return config.batch.workers;
  const embedded = (config.provider.default ?? "embedded") === "embedded";
  if (!embedded) return cores;
  const threads = config.provider.embedded?.threads ?? Math.max(1, cores - 1);
  return Math.max(1, Math.floor(cores / threads));
}

function retryOf(config: OwletConfig): RetrySettings {
  return {
    attempts: config.batch.attempts,
    backoffMs: config.batch.backoff_ms,
    backoff: config.batch.backoff,
    lockMs: config.batch.lock_ms,
  };
}

async function load(opts: BatchOptions): Promise<OwletConfig> {
  const loaded = await loadConfig({
    cwd: process.cwd(),
    ...(opts.config ? { configFile: opts.config } : {}),
    env: process.env,
    flags: {
      ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
      ...(opts.model !== undefined ? { model: opts.model } : {}),
    },
  });
  return loaded.config;
}

/** Ctrl-C once → `stop`, twice → `abandon` (with what each does said on stderr). */
function interrupts(first: string, second: string) {
  const stop = new AbortController();
  const abandon = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) {
      notify(first);
      stop.abort();
    } else {
      notify(second);
      abandon.abort();
    }
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  return {
    stop: stop.signal,
    abandon: abandon.signal,
    dispose: () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigint);
    },
  };
}

/**
 * `owlet batch tasks.jsonl`: runs every task not yet in `--out` (default results.jsonl) on this machine with N
 * workers, or through the `--queue` for `owlet worker`s; prints the summary table on stdout. Exit 0 when every
 * task ended success with its check (if any) passing, 1 otherwise, 2 for bad input, 130 when interrupted.
 */
export async function runBatch(file: string, opts: BatchOptions): Promise<number> {
  let config: OwletConfig;
  let tasks: BatchTask[];
  try {
    config = await load(opts);
    tasks = readTasks(file);
    if (opts.queue && opts.apiKey)
      throw new BatchInputError(
        "--api-key with --queue would store the key in Redis; set the provider's key variable on the workers instead",
      );
  } catch (err) {
    if (err instanceof BatchInputError || err instanceof ConfigError) {
      notify((err as Error).message);
      return EXIT.usage;
    }
    throw err;
  }
  const out = resolve(opts.out ?? "results.jsonl");
  const done = readResults(out);
  const pending = tasks.filter((t) => !done.has(t.id));
  if (done.size > 0)
    notify(`${tasks.length - pending.length} of ${tasks.length} tasks already in ${out}: skipped`);
  const base = dirname(resolve(file));
  const sessionsDir = `${out}.sessions`;
  const signals = interrupts(
    "finishing the running tasks, starting no more (Ctrl-C again to abandon them)",
    "abandoning the running tasks; they are not recorded, so a rerun does them",
  );
  try {
    if (opts.queue) {
      let address: QueueAddress;
      try {
        address = parseQueueUrl(opts.queue);
      } catch (err) {
        notify((err as Error).message);
        return EXIT.usage;
      }
      const waiting = submitToQueue(pending, {
        address,
        retry: retryOf(config),
        out,
        notify,
        stop: signals.stop,
        data: (task) => ({
          task,
          owletArgs: owletArgs(opts, true),
          base,
          timeoutSec: config.batch.task_timeout,
          checkTimeoutSec: config.batch.check_timeout,
        }),
      });
      const left = new Promise<undefined>((r) =>
        signals.abandon.addEventListener("abort", () => r(undefined)),
      );
      const result = await Promise.race([waiting, left]);
      if (!result) return EXIT.interrupted;
    } else {
      const workers = opts.workers ?? defaultWorkers(config);
      notify(`${pending.length} tasks, ${workers} at a time; results in ${out}`);
      await runLocalBatch(pending, {
        workers,
        out,
        notify,
        stop: signals.stop,
        abandon: signals.abandon,
        task: {
          owletArgs: owletArgs(opts, false),
          workRoot: resolve(opts.workDir ?? join(tmpdir(), "owlet-batch")),
          base,
          timeoutSec: config.batch.task_timeout,
          checkTimeoutSec: config.batch.check_timeout,
          sessionsDir,
          ...(opts.keep ? { keep: true } : {}),
        },
      });
    }
  } finally {
    signals.dispose();
  }
  const all = [...readResults(out).values()].filter((r) => tasks.some((t) => t.id === r.id));
  process.stdout.write(`${summaryTable(all)}\n`);
  if (all.length < tasks.length) return EXIT.interrupted;
  const ok = all.every((r) => r.status === "success" && r.check_passed !== false);
  return ok ? EXIT.ok : EXIT.turnFailed;
}

/**
 * `owlet worker --queue redis://…`: runs the queue's tasks, `--workers` at a time (default as for local
 * batches), until Ctrl-C (then the running tasks finish; twice: it leaves at once and they are retried elsewhere).
 */
export async function runWorkerCommand(opts: BatchOptions): Promise<number> {
  if (!opts.queue) {
    notify("owlet worker needs --queue redis://HOST:6379/0");
    return EXIT.usage;
  }
  let config: OwletConfig;
  let address: QueueAddress;
  try {
    config = await load(opts);
    address = parseQueueUrl(opts.queue);
  } catch (err) {
    notify((err as Error).message);
    return EXIT.usage;
  }
  const signals = interrupts(
    "finishing the running tasks, taking no more (Ctrl-C again to leave them to other workers)",
    "leaving; the running tasks go back to the queue once their locks lapse",
  );
  signals.abandon.addEventListener("abort", () => process.exit(EXIT.interrupted), { once: true });
  try {
    await runWorker({
      address,
      retry: retryOf(config),
      concurrency: opts.workers ?? defaultWorkers(config),
      workRoot: resolve(opts.workDir ?? join(tmpdir(), "owlet-batch")),
      ...(opts.config ? { extraArgs: ["--config", resolve(opts.config)] } : {}),
      notify,
      stop: signals.stop,
    });
  } finally {
    signals.dispose();
  }
  return EXIT.ok;
}
