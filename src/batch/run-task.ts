/**
 * Runs one batch task and returns its record: a fresh working copy, `owlet -p <prompt>` in it through the built
 * CLI (`--output-format stream-json`, as a user or CI would run it), the task's check command, the diff. Everything
 * recorded comes from what the CLI printed and what the check returned. The function `owlet batch`, `owlet worker`
 * and (later) the eval use.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BatchTask } from "./tasks.ts";
import { makeWorkingCopy, workingCopyDiff } from "./working-copy.ts";

/** Path of the owlet launcher (bin/owlet) beside this package. */
export const OWLET_LAUNCHER = fileURLToPath(new URL("../../bin/owlet", import.meta.url));

/** One task's result line (results.jsonl). Units: ms, tokens, USD. */
export interface TaskRecord {
  id: string;
  /**
   * owlet's status (success, checks_failed, no_changes, permission_denied, stuck, max_turns, provider_error, …),
   * `timeout` when the run was stopped at `[batch] task_timeout`, `error` when it could not run (no working copy,
   * no result from owlet).
   */
  status: string;
  /** The task's check passed in the working copy after the run; null without a check or when it did not run. */
  check_passed: boolean | null;
  /** owlet's exit code (null when killed). */
  exit_code: number | null;
  tokens: { input: number; output: number };
  cost_usd: number;
  /** Wall time of the whole task (copy, run, check, diff), ms. */
  wall_ms: number;
  session_id: string | null;
  /** `git diff` of the working copy against its base after the run. */
  diff: string;
  rounds: number;
  /** Tool calls by name (the tool_use blocks owlet reported). */
  tool_calls: Record<string, number>;
  /** owlet's final text (an error result's message). */
  result: string;
  error?: string;
  /** The tail of the check's output when it failed (at most 2000 characters). */
  check_output?: string;
  /** Queue runs: which try this was (1-based), and the worker that ran it. */
  attempt?: number;
  worker?: string;
}

/** How {@link runTask} runs a task. */
export interface RunTaskOptions {
  /** owlet's flags besides the prompt and output format (provider, model, permission mode, config …). */
  owletArgs: readonly string[];
  /** Where working copies are made (one directory per run inside it). */
  workRoot: string;
  /** Relative task repositories resolve from here (the tasks file's directory). */
  base: string;
  /** owlet's wall-time limit, s: SIGTERM, then SIGKILL 5 s later. */
  timeoutSec: number;
  /** The check's wall-time limit, s. */
  checkTimeoutSec: number;
  /** Copy the run's session file here as `<session id>.jsonl` (the working copy is deleted). */
  sessionsDir?: string;
  /** Keep the working copy instead of deleting it. */
  keep?: boolean;
  /** Aborting stops the run at once (SIGTERM to owlet); the task then gets no record (it rejects with AbortError). */
  signal?: AbortSignal;
  /** The launcher to run; default bin/owlet. */
  owlet?: string;
  /** Extra environment of the owlet process. */
  env?: NodeJS.ProcessEnv;
}

/** The outcome of a child process: exit code (null if killed), its output, whether the time limit killed it. */
interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
}

/**
 * Runs `cmd` in `cwd` with no stdin, collecting its output; past `timeoutMs` (or when `signal` aborts) its process
 * group gets SIGTERM, then SIGKILL after 5 s.
 */
function collect(
  cmd: string,
  args: readonly string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let aborted = false;
    const kill = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      kill("SIGTERM");
      setTimeout(() => kill("SIGKILL"), 5000).unref();
    };
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = (code: number | null) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve({ code, stdout, stderr, timedOut, aborted });
    };
    child.on("error", (err) => {
      stderr += err.message;
      done(null);
    });
    child.on("close", (code) => done(code));
  });
}

/** The stream-json lines of owlet's stdout that parse. */
function lines(stdout: string): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  for (const l of stdout.split("\n")) {
    if (!l.startsWith("{")) continue;
    try {
      out.push(JSON.parse(l));
    } catch {
      // a partial line (killed mid-write)
    }
  }
  return out;
}

function abortError(): Error {
  const err = new Error("the task was abandoned");
  err.name = "AbortError";
  return err;
}

/**
 * A task's record before (or without) a run: status `error`, no check, zero tokens, cost and wall time, no
 * session or diff; `error` the reason when given. The base of every record runTask, the local runner and the
 * queue write for a task that did not finish.
 */
export function errorRecord(task: BatchTask, error?: string): TaskRecord {
  return {
    id: task.id,
    status: "error",
    check_passed: null,
    exit_code: null,
    tokens: { input: 0, output: 0 },
    cost_usd: 0,
    wall_ms: 0,
    session_id: null,
    diff: "",
    rounds: 0,
    tool_calls: {},
    result: "",
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * Runs `task` once. Never throws for a failed run (the record says what happened), except: AbortError when
 * `opts.signal` aborted (no record: the task is not done), and when owlet could not run at all in a way a retry
 * may fix (the launcher missing, killed by a signal without a result): then an Error, so a queue retries it.
 */
export async function runTask(task: BatchTask, opts: RunTaskOptions): Promise<TaskRecord> {
  const started = performance.now();
  mkdirSync(opts.workRoot, { recursive: true });
  const dir = join(opts.workRoot, `${task.id}-${process.pid}-${Date.now().toString(36)}`);
  const base = (): TaskRecord => errorRecord(task);
  try {
    try {
      await makeWorkingCopy(task.repo, dir, opts.base);
    } catch (err) {
      return {
        ...base(),
        error: `no working copy: ${(err as Error).message.trim()}`,
        wall_ms: elapsed(started),
      };
    }
    const args = [
      "-p",
      task.prompt,
      "--output-format",
      "stream-json",
      ...opts.owletArgs,
      ...(task.model ? ["--model", task.model] : []),
    ];
    const env = { ...process.env, ...opts.env, OWLET_PARENT_PID: String(process.pid) };
    const ran = await collect(
      opts.owlet ?? OWLET_LAUNCHER,
      args,
      dir,
      opts.timeoutSec * 1000,
      env,
      opts.signal,
    );
    if (ran.aborted) throw abortError();
    const events = lines(ran.stdout);
    const result = events.findLast((e) => e.type === "result");
    if (!result && !ran.timedOut && ran.code === null)
      throw new Error(`owlet was killed before it reported a result: ${ran.stderr.trim().slice(-300)}`);
    const record: TaskRecord = {
      ...base(),
      status: ran.timedOut ? "timeout" : String(result?.owlet_status ?? (result ? result.subtype : "error")),
      exit_code: ran.timedOut ? null : ran.code,
      tokens: {
        input: Number(result?.usage?.input_tokens ?? 0),
        output: Number(result?.usage?.output_tokens ?? 0),
      },
      cost_usd: Number(result?.total_cost_usd ?? 0),
      session_id: typeof result?.session_id === "string" ? result.session_id : null,
      rounds: Number(result?.num_turns ?? 0),
      result: String(result?.result ?? ""),
    };
    for (const e of events)
      if (e.type === "assistant")
        for (const b of e.message?.content ?? [])
          if (b?.type === "tool_use") record.tool_calls[b.name] = (record.tool_calls[b.name] ?? 0) + 1;
    if (result?.error) record.error = String(result.error);
    else if (!result)
      record.error =
        ran.stderr.trim().split("\n").slice(-3).join(" ").slice(0, 500) || "no result from owlet";
    if (opts.sessionsDir && record.session_id) {
      const file = join(dir, ".owlet", "sessions", `${record.session_id}.jsonl`);
      if (existsSync(file)) {
        mkdirSync(opts.sessionsDir, { recursive: true });
        copyFileSync(file, join(opts.sessionsDir, `${record.session_id}.jsonl`));
      }
    }
    if (task.check) {
      const check = await collect(
        "sh",
        ["-c", task.check],
        dir,
        opts.checkTimeoutSec * 1000,
        process.env,
        opts.signal,
      );
      if (check.aborted) throw abortError();
      record.check_passed = check.code === 0;
      if (!record.check_passed) record.check_output = `${check.stdout}${check.stderr}`.slice(-2000);
    }
    record.diff = await workingCopyDiff(dir).catch((err: Error) => `(no diff: ${err.message})`);
    record.wall_ms = elapsed(started);
    return record;
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
