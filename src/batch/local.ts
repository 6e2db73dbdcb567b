/**
 * `owlet batch` on this machine: the tasks not yet in the results file, N at a time, each through
 * {@link runTask}; a record appended as each finishes. Ctrl-C once: no new task starts, the running ones finish
 * and are recorded; twice: the running ones are stopped and their copies discarded, without a record (a resumed
 * batch runs them again).
 */

import { appendResult } from "./results.ts";
import { errorRecord, type RunTaskOptions, runTask, type TaskRecord } from "./run-task.ts";
import type { BatchTask } from "./tasks.ts";

/** How the local batch runs. */
export interface LocalBatchOptions {
  /** Tasks run at once (≥ 1). */
  workers: number;
  /** The results file records are appended to. */
  out: string;
  task: Omit<RunTaskOptions, "signal">;
  /** A line for the user (progress, Ctrl-C). */
  notify: (message: string) => void;
  /** Stops starting new tasks when aborted (the first Ctrl-C). */
  stop: AbortSignal;
  /** Stops the running tasks too (the second Ctrl-C). */
  abandon: AbortSignal;
}

/** Runs `tasks`; resolves with the records written, in finishing order. */
export async function runLocalBatch(
  tasks: readonly BatchTask[],
  opts: LocalBatchOptions,
): Promise<TaskRecord[]> {
  const queue = [...tasks];
  const records: TaskRecord[] = [];
  const total = tasks.length;
  const slot = async (): Promise<void> => {
    for (;;) {
      if (opts.stop.aborted || opts.abandon.aborted) return;
      const task = queue.shift();
      if (!task) return;
      try {
        const record = await runTask(task, { ...opts.task, signal: opts.abandon });
        appendResult(opts.out, record);
        records.push(record);
        opts.notify(
          `[${records.length}/${total}] ${task.id}: ${record.status}${record.check_passed === null ? "" : record.check_passed ? ", check passed" : ", check FAILED"}`,
        );
      } catch (err) {
        if ((err as Error).name === "AbortError") return;
        // Only a retryable infrastructure failure throws; locally it is recorded as an error (resume retries it
        // only if the line is removed).
        const record = errorRecord(task, (err as Error).message);
        appendResult(opts.out, record);
        records.push(record);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, slot));
  return records;
}
