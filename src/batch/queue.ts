/**
 * `owlet batch --queue redis://HOST:PORT/DB` and `owlet worker --queue …`: the same tasks scaled out over any
 * number of machines through a BullMQ queue on Redis. The submitting run adds one job per task (job id = task id,
 * so a task is queued once), with `[batch]` attempts and backoff; workers run each job through {@link runTask} and
 * return its record; the submitter writes each record as its job completes (or, after its last try, fails) and
 * removes the job. A worker killed mid-task loses nothing: its lock lapses after `[batch] lock_ms`, BullMQ moves
 * the stalled job back to the queue, another worker runs it in a fresh copy, and a worker starting on the same
 * machine removes the copies dead workers left behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { type Job, Queue, QueueEvents, Worker } from "bullmq";
import { appendResult } from "./results.ts";
import { errorRecord, type RunTaskOptions, runTask, type TaskRecord } from "./run-task.ts";
import type { BatchTask } from "./tasks.ts";

/** The queue's name in Redis. */
export const QUEUE_NAME = "owlet-batch";

/** Where a queue is: host, port and database of a `redis://HOST:PORT/DB` URL. */
export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** Parses `redis://[user:pass@]HOST[:PORT][/DB]`; throws with what a valid one looks like. */
export function parseQueueUrl(url: string): QueueAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--queue ${url}: not a URL; use redis://HOST:6379/0`);
  }
  if (u.protocol !== "redis:")
    throw new Error(`--queue ${url}: only redis:// URLs are supported, e.g. redis://HOST:6379/0`);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db))
    throw new Error(`--queue ${url}: the database must be a number, e.g. redis://HOST:6379/0`);
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    db: db === "" ? 0 : Number(db),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** What travels with each job: the task, and how the submitter wants it run. */
export interface JobData {
  task: BatchTask;
  /** owlet's flags for the run (model, permission mode, …), as the submitter was given them. */
  owletArgs: string[];
  /** Relative repositories resolve from here (the submitter's tasks file directory). */
  base: string;
  timeoutSec: number;
  checkTimeoutSec: number;
}

/** `[batch]` retry and lock settings. */
export interface RetrySettings {
  attempts: number;
  backoffMs: number;
  backoff: "exponential" | "fixed";
  lockMs: number;
}

/** Options of {@link submitToQueue}. */
export interface SubmitOptions {
  address: QueueAddress;
  retry: RetrySettings;
  /** Builds a job's data for a task. */
  data: (task: BatchTask) => JobData;
  out: string;
  notify: (message: string) => void;
  /** First Ctrl-C: queued jobs of this batch that no worker took are withdrawn; the running ones are awaited. */
  stop: AbortSignal;
}

const connectionOf = (a: QueueAddress) => ({
  host: a.host,
  port: a.port,
  db: a.db,
  ...(a.username ? { username: a.username } : {}),
  ...(a.password ? { password: a.password } : {}),
  // fail fast instead of queueing commands forever against a Redis that is not there
  maxRetriesPerRequest: null,
});

/** The record for a task whose every try failed. */
function failedRecord(task: BatchTask, reason: string, attempts: number): TaskRecord {
  return { ...errorRecord(task, `every try failed (${attempts}): ${reason}`), attempt: attempts };
}

/**
 * Puts `tasks` on the queue and writes each one's record to `opts.out` as its job finishes; resolves with the
 * records once every task has one (or, after a Ctrl-C, every task a worker had started). A task whose job is
 * already in Redis from an earlier, interrupted submission is not queued again: its result is taken when it comes.
 */
export async function submitToQueue(tasks: readonly BatchTask[], opts: SubmitOptions): Promise<TaskRecord[]> {
  const connection = connectionOf(opts.address);
  const queue = new Queue<JobData, TaskRecord>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const records: TaskRecord[] = [];
  try {
    await events.waitUntilReady();
    const byId = new Map(tasks.map((t) => [t.id, t] as const));
    const jobs: Job<JobData, TaskRecord>[] = [];
    for (const task of tasks) {
      const existing = await queue.getJob(task.id);
      jobs.push(
        existing ??
          (await queue.add(task.id, opts.data(task), {
            jobId: task.id,
            attempts: opts.retry.attempts,
            backoff: { type: opts.retry.backoff, delay: opts.retry.backoffMs },
            removeOnComplete: false,
            removeOnFail: false,
          })),
      );
    }
    opts.notify(
      `queued ${jobs.length} tasks on ${opts.address.host}:${opts.address.port}/${opts.address.db}`,
    );
    let withdrawn = false;
    const withdraw = async () => {
      withdrawn = true;
      for (const job of jobs) {
        const state = await job.getState().catch(() => "unknown");
        if (state === "waiting" || state === "delayed" || state === "prioritized")
          await job.remove().catch(() => {});
      }
      opts.notify(
        "withdrew the tasks no worker had started; waiting for the running ones (Ctrl-C again to leave them)",
      );
    };
    opts.stop.addEventListener("abort", () => void withdraw(), { once: true });
    await Promise.all(
      jobs.map(async (job) => {
        const task = byId.get(job.id!)!;
        for (;;) {
          try {
            const record = (await job.waitUntilFinished(events)) as TaskRecord;
            appendResult(opts.out, record);
            records.push(record);
            opts.notify(
              `[${records.length}/${tasks.length}] ${task.id}: ${record.status} (try ${record.attempt ?? 1}, ${record.worker ?? "?"})`,
            );
            await job.remove().catch(() => {});
            return;
          } catch (err) {
            const state = await queue.getJobState(job.id!).catch(() => "unknown");
            if (state === "failed") {
              const fresh = await queue.getJob(job.id!);
              const record = failedRecord(
                task,
                fresh?.failedReason ?? (err as Error).message,
                fresh?.attemptsMade ?? opts.retry.attempts,
              );
              appendResult(opts.out, record);
              records.push(record);
              opts.notify(`[${records.length}/${tasks.length}] ${task.id}: error (${record.error})`);
              await fresh?.remove().catch(() => {});
              return;
            }
            if (state === "unknown" && withdrawn) return; // withdrawn after a Ctrl-C
            // retried, moved back after a stall, or the wait was cut short: wait again
          }
        }
      }),
    );
    return records;
  } finally {
    await events.close();
    await queue.close();
  }
}

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  address: QueueAddress;
  retry: RetrySettings;
  /** Jobs run at once. */
  concurrency: number;
  /** Where this machine's working copies go (a folder per worker process, cleaned of dead workers' copies). */
  workRoot: string;
  /** Copy each run's session file here. */
  sessionsDir?: string;
  /** This worker's own owlet flags, after the submitter's (e.g. its --config). */
  extraArgs?: string[];
  notify: (message: string) => void;
  /** Aborting closes the worker: no new job; running jobs finish. */
  stop: AbortSignal;
}

/**
 * Takes jobs from the queue until `opts.stop` aborts (then finishes the running ones and resolves). Each job is
 * one {@link runTask}; a run that could not happen (owlet killed without a result, the launcher missing) throws,
 * so BullMQ retries it after the backoff.
 */
export async function runWorker(opts: WorkerOptions): Promise<void> {
  const mine = join(opts.workRoot, `worker-${process.pid}`);
  discardDeadCopies(opts.workRoot);
  mkdirSync(mine, { recursive: true });
  writeFileSync(join(mine, ".owner"), `${process.pid}\n`);
  const name = `${hostname()}:${process.pid}`;
  const worker = new Worker<JobData, TaskRecord>(
    QUEUE_NAME,
    async (job) => {
      const d = job.data;
      const options: RunTaskOptions = {
        owletArgs: [...d.owletArgs, ...(opts.extraArgs ?? [])],
        workRoot: mine,
        base: d.base,
        timeoutSec: d.timeoutSec,
        checkTimeoutSec: d.checkTimeoutSec,
        ...(opts.sessionsDir ? { sessionsDir: opts.sessionsDir } : {}),
      };
      // copies left by workers that died on this machine since (a kill -9 mid-task) go before each task
      discardDeadCopies(opts.workRoot);
      opts.notify(`${d.task.id}: started (try ${job.attemptsStarted})`);
      const record = await runTask(d.task, options);
      return { ...record, attempt: job.attemptsStarted, worker: name };
    },
    {
      connection: connectionOf(opts.address),
      concurrency: Math.max(1, opts.concurrency),
      lockDuration: opts.retry.lockMs,
      stalledInterval: opts.retry.lockMs,
      // a job whose worker died is moved back once per try it has left
      maxStalledCount: Math.max(1, opts.retry.attempts),
    },
  );
  worker.on("error", (err) => opts.notify(`queue error: ${err.message}`));
  await worker.waitUntilReady();
  opts.notify(
    `worker ${name} taking tasks from ${opts.address.host}:${opts.address.port}/${opts.address.db} (${opts.concurrency} at a time)`,
  );
  await new Promise<void>((resolve) => {
    if (opts.stop.aborted) resolve();
    opts.stop.addEventListener("abort", () => resolve(), { once: true });
  });
  await worker.close();
  rmSync(mine, { recursive: true, force: true });
}

/** Removes the working copies of workers on this machine that are no longer running (killed mid-task). */
function discardDeadCopies(root: string): void {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith("worker-")) continue;
    const dir = join(root, entry);
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(join(dir, ".owner"), "utf8").trim());
    } catch {
      // no owner file: a worker that died while starting
    }
    if (Number.isInteger(pid) && isAlive(pid)) continue;
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
