import type { ChildProcessByStdio } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { z } from "zod";
import { childEnv } from "../child-env.ts";
import { type CommandSpawn, commandLine, planCommand } from "../sandbox/spawn-plan.ts";
import { loadBashGrammar } from "../shell/grammar.ts";
import type { CommandHost, Tool, ToolContext, ToolOutput } from "../types.ts";
import { errorResult } from "./common.ts";
import { interactiveReason } from "./interactive.ts";
import { HeadTailBuffer } from "./output-buffer.ts";

/** Grace between SIGTERM and SIGKILL for the process group, in ms. */
export const BASH_KILL_GRACE_MS = 2000;
/** After the shell exits, how long to wait for background children to release the pipes, in ms. */
const PIPE_DRAIN_MS = 250;

const parameters = z.object({
  command: z.string().describe("shell command"),
  timeout: z.number().positive().optional().describe("seconds (default 30)"),
});

/**
 * `bash`: runs `bash -c <command>` in the workspace root, in its own process group, stdin /dev/null,
 * stdout+stderr combined and capped at `limits.maxOutputBytes` (head and tail kept, `… N bytes omitted …`).
 * `timeout` (seconds) defaults to `limits.bashTimeoutSec`, capped at `limits.maxBashTimeoutSec`. On
 * timeout or `ctx.signal` abort the group gets SIGTERM, then SIGKILL after 2 s, and the partial output
 * comes back as an error result. Non-zero exit: error result starting `Exit code N`. Interactive commands
 * (see interactiveReason) are refused without running. The command's environment has no API keys (see
 * childEnv). With `ctx.sandbox` on and bubblewrap usable, the command runs inside the sandbox (see
 * sandbox/spawn-plan.ts and sandbox/bwrap.ts: read-only system, writable workspace minus `.git/hooks`,
 * `.git/config` and `.owlet/`, private /tmp, no network, its own PID namespace, an allowlisted environment);
 * the permission mode does not change that, bypass included. Metadata: `{ exitCode, timedOut }` (+ `aborted`,
 * `signal`, `interactive` when relevant). With `ctx.commands` (an editor's terminal) the same argv runs there
 * instead (see commandLine).
 */
export const bash: Tool<z.infer<typeof parameters>> = {
  name: "bash",
  description: readFileSync(new URL("./bash.md", import.meta.url), "utf8").trim(),
  parameters,
  category: "exec",
  leanOmits: ["timeout"],
  readOnly: false,
  destructive: true,
  async run(args, ctx): Promise<ToolOutput> {
    if (args.command.trim() === "") return errorResult("command is empty.");
    await loadBashGrammar().catch(() => undefined); // without it the interactive check sees no commands
    const refusal = interactiveReason(args.command);
    if (refusal) return errorResult(refusal, { exitCode: null, timedOut: false, interactive: true });
    const timeoutSec = Math.min(args.timeout ?? ctx.limits.bashTimeoutSec, ctx.limits.maxBashTimeoutSec);
    const run = await runCommand(args.command, ctx, timeoutSec);
    const body = run.output === "" ? "(no output)" : run.output;
    const metadata: Record<string, unknown> = { exitCode: run.exitCode, timedOut: run.timedOut };
    if (run.timedOut) {
      return errorResult(
        `Command timed out after ${timeoutSec} s and was killed. Partial output:\n${body}\n` +
          `(Use a larger timeout, up to ${ctx.limits.maxBashTimeoutSec} s, or run less at once.)`,
        metadata,
      );
    }
    if (run.aborted)
      return errorResult(`Command cancelled and killed. Partial output:\n${body}`, {
        ...metadata,
        aborted: true,
      });
    if (run.signal)
      return errorResult(`Killed by signal ${run.signal}\n${body}`, { ...metadata, signal: run.signal });
    if (run.exitCode !== 0) return errorResult(`Exit code ${run.exitCode}\n${body}`, metadata);
    return { output: body, metadata };
  },
};

interface RunResult {
  output: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
}

/** owlet's own settings for every command: no pagers, no credential prompts, a dumb terminal. */
const FIXED_ENV = { PAGER: "cat", GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", TERM: "dumb" };

async function runCommand(command: string, ctx: ToolContext, timeoutSec: number): Promise<RunResult> {
  if (ctx.commands) return runHosted(command, ctx, ctx.commands, timeoutSec);
  const plan = await planCommand(
    command,
    ctx.workspaceRoot,
    ctx.sandbox,
    ctx.childEnv ?? childEnv(process.env),
    FIXED_ENV,
  );
  try {
    return await runSpawn(plan, ctx, timeoutSec);
  } finally {
    plan.cleanup();
  }
}

/** The command on the context's host (an editor's terminal), with the argv owlet would have spawned. */
async function runHosted(
  command: string,
  ctx: ToolContext,
  host: CommandHost,
  timeoutSec: number,
): Promise<RunResult> {
  const { line, cleanup } = await commandLine(
    command,
    ctx.workspaceRoot,
    ctx.sandbox,
    ctx.childEnv ?? childEnv(process.env),
    FIXED_ENV,
  );
  try {
    const run = await host.run(line, {
      timeoutMs: timeoutSec * 1000,
      signal: ctx.signal,
      maxOutputBytes: ctx.limits.maxOutputBytes,
      ...(ctx.callId ? { callId: ctx.callId } : {}),
    });
    return { ...run, output: run.output.replace(/\n+$/, ""), signal: run.signal as NodeJS.Signals | null };
  } catch (error) {
    return {
      output: `The editor could not run the command: ${error instanceof Error ? error.message : String(error)}`,
      exitCode: 127,
      signal: null,
      timedOut: false,
      aborted: false,
    };
  } finally {
    cleanup();
  }
}

function runSpawn(plan: CommandSpawn, ctx: ToolContext, timeoutSec: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const buffer = new HeadTailBuffer(ctx.limits.maxOutputBytes);
    // own process group (detached), so a timeout kills grandchildren too
    const child = plan.start() as ChildProcessByStdio<Writable | null, Readable, Readable>;
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // group already gone
      }
    };
    const stop = () => {
      killGroup("SIGTERM");
      killTimer = setTimeout(() => {
        killGroup("SIGKILL");
        // if something still holds the pipes (a process that left the group), stop waiting for them
        setTimeout(() => finish(null, "SIGKILL"), 500).unref();
      }, BASH_KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutSec * 1000);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener("abort", onAbort, { once: true });

    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    const finish = (code: number | null, sig: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Once stopping, let the SIGKILL fire even though bash has exited: a child that ignores SIGTERM
      // (or was still shutting down) would otherwise outlive the timeout.
      if (timedOut || aborted) killTimer?.unref();
      else clearTimeout(killTimer);
      clearTimeout(drainTimer);
      ctx.signal.removeEventListener("abort", onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ output: buffer.text().replace(/\n+$/, ""), exitCode: code, signal: sig, timedOut, aborted });
    };
    child.stdout.on("data", (chunk: Buffer) => buffer.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => buffer.push(chunk));
    child.on("error", (error) => {
      buffer.push(Buffer.from(`Failed to start ${plan.file}: ${error.message}`));
      finish(127, null);
    });
    child.on("exit", (code, sig) => {
      exitCode = code;
      exitSignal = sig;
      // background children may keep the pipes open: give them a moment, then return anyway
      drainTimer = setTimeout(() => finish(exitCode, exitSignal), PIPE_DRAIN_MS);
      drainTimer.unref();
    });
    child.on("close", (code, sig) => finish(code ?? exitCode, sig ?? exitSignal));
  });
}
