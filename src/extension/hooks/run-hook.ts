import { spawn } from "node:child_process";

/** Bytes of stdout and of stderr kept from one hook run. */
const MAX_CAPTURE_BYTES = 64 * 1024;

/** How one hook command ended. `exitCode` is null when it was killed (timeout, abort) or could not start. */
export interface HookRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the command could not be started at all. */
  spawnError?: string;
}

/**
 * Runs `command` with `sh -c` in `cwd`, the event JSON on stdin, in its own process group; after `timeoutMs`
 * (or when `signal` aborts) the whole group is killed (SIGKILL). Output beyond 64 KiB per stream is dropped.
 * Never throws; never waits longer than the timeout plus the time to reap the process.
 */
export function runHookCommand(opts: {
  command: string;
  input: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<HookRun> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    const child = spawn("sh", ["-c", opts.command], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    const onAbort = () => kill();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = (run: HookRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      resolve(run);
    };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      if (stdout.length < MAX_CAPTURE_BYTES) stdout += d;
    });
    child.stderr.on("data", (d: string) => {
      if (stderr.length < MAX_CAPTURE_BYTES) stderr += d;
    });
    child.stdin.on("error", () => {}); // a hook that does not read stdin closes it early (EPIPE)
    child.stdin.end(opts.input);
    child.on("error", (err) =>
      finish({ exitCode: null, stdout, stderr, timedOut: false, spawnError: err.message }),
    );
    child.on("close", (code) => finish({ exitCode: timedOut ? null : code, stdout, stderr, timedOut }));
  });
}
