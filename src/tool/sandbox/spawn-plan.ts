/**
 * How the bash tool starts one command: directly, or inside bubblewrap (see bwrap.ts). A sandboxed command is
 * handed to a sandbox started ahead of time (see the spare below): bwrap's namespace and mount set-up, 10–20 ms
 * on a busy machine, then happens between bash calls instead of during one.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";
import type { CommandLine } from "../types.ts";
import { type BwrapPlan, bwrapArgs, type ProtectedEntry, sandboxEnv } from "./bwrap.ts";
import { inspectProtectedPaths, maskedDirs, removeMountPoints, standIns } from "./layout.ts";
import { probeSandbox } from "./probe.ts";
import type { SandboxSettings } from "./settings.ts";

/** A command ready to start, and what to do after its process has ended. */
export interface CommandSpawn {
  /** `bash` or `bwrap`. */
  file: string;
  /** True when the command runs inside bubblewrap. */
  sandboxed: boolean;
  /**
   * Starts the process: its own process group (so the caller can signal `-pid`), stdout and stderr piped, stdin
   * /dev/null for the command. Call once.
   */
  start(): ChildProcess;
  /** Call once the process has exited: removes mount points bwrap had to create, prepares the next sandbox. */
  cleanup(): void;
}

/**
 * What a sandbox runs until it is given a command: it reads the command from standard input up to a NUL, then
 * becomes `bash -c <command>` with stdin from /dev/null, so the command runs exactly as `bash -c` would.
 */
const READER = 'IFS= read -r -d "" c; exec bash -c "$c" </dev/null';

/** A sandbox started ahead of the next call, and the key of the settings it was started with. */
interface Spare {
  key: string;
  child: ChildProcess;
}

let spare: Spare | undefined;

/**
 * The spawn of `bash -c command` in `workspaceRoot`: with `settings` off (or absent) or bubblewrap unusable (see
 * probeSandbox; the permission gate has then asked the user), plain bash with `env` (already stripped of
 * secrets) plus `fixed`; otherwise bwrap with the sandbox's argv (bwrapArgs) and its allowlisted environment
 * (sandboxEnv), taking the spare sandbox when it was started with the same workspace, settings, protected-path
 * layout and environment. After the call, a new spare is started (unless mount-point stand-ins were needed: those
 * must not outlive the call).
 */
export async function planCommand(
  command: string,
  workspaceRoot: string,
  settings: SandboxSettings | undefined,
  env: NodeJS.ProcessEnv,
  fixed: Record<string, string>,
): Promise<CommandSpawn> {
  const direct: CommandSpawn = {
    file: "bash",
    sandboxed: false,
    start: () =>
      spawn("bash", ["-c", command], {
        cwd: workspaceRoot,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...env, ...fixed },
      }),
    cleanup: () => {},
  };
  if (!settings || settings.mode === "off") return direct;
  if (!(await probeSandbox()).ok) return direct;
  const protectedEntries: ProtectedEntry[] =
    settings.mode === "workspace-write" ? inspectProtectedPaths(workspaceRoot) : [];
  const plan: BwrapPlan = {
    workspaceRoot,
    settings,
    protectedEntries,
    maskedDirs: maskedDirs(),
    ...standIns(),
  };
  // --norc: node's stdio pipes are sockets, and bash would read ~/.bashrc on a socket stdin (as under rshd/sshd)
  const args = bwrapArgs(plan, READER, ["bash", "--norc", "--noprofile", "-c"]);
  const sandboxedEnv = sandboxEnv(env, settings.env, fixed);
  const key = JSON.stringify([args, sandboxedEnv]);
  const reusable = !protectedEntries.some((e) => e.kind.startsWith("missing")) && !command.includes("\0");
  return {
    file: "bwrap",
    sandboxed: true,
    start: () => {
      const child = takeSpare(key) ?? startSandbox(args, workspaceRoot, sandboxedEnv);
      child.stdin?.end(`${command}\0`);
      return child;
    },
    cleanup: () => {
      removeMountPoints(protectedEntries);
      if (reusable) spare = { key, child: unref(startSandbox(args, workspaceRoot, sandboxedEnv)) };
    },
  };
}

/**
 * The same command as {@link planCommand} would start, as one argv for a host that runs it instead of owlet (an
 * editor's terminal): `env -i NAME=value… bash -c command`, or in the sandbox `env -i NAME=value… bwrap …args
 * bash --norc --noprofile -c command`, so the host's own environment never reaches the command and the sandbox
 * is the same. `cleanup` removes the mount points bwrap needed; call it once the command has ended.
 */
export async function commandLine(
  command: string,
  workspaceRoot: string,
  settings: SandboxSettings | undefined,
  env: NodeJS.ProcessEnv,
  fixed: Record<string, string>,
): Promise<{ line: CommandLine; cleanup: () => void }> {
  const assignments = (vars: NodeJS.ProcessEnv) =>
    Object.entries(vars)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${v}`);
  if (!settings || settings.mode === "off" || !(await probeSandbox()).ok)
    return {
      line: {
        argv: ["env", "-i", ...assignments({ ...env, ...fixed }), "bash", "-c", command],
        cwd: workspaceRoot,
      },
      cleanup: () => {},
    };
  const protectedEntries: ProtectedEntry[] =
    settings.mode === "workspace-write" ? inspectProtectedPaths(workspaceRoot) : [];
  const plan: BwrapPlan = {
    workspaceRoot,
    settings,
    protectedEntries,
    maskedDirs: maskedDirs(),
    ...standIns(),
  };
  const args = bwrapArgs(plan, command, ["bash", "--norc", "--noprofile", "-c"]);
  return {
    line: {
      argv: ["env", "-i", ...assignments(sandboxEnv(env, settings.env, fixed)), "bwrap", ...args],
      cwd: workspaceRoot,
    },
    cleanup: () => removeMountPoints(protectedEntries),
  };
}

/** Starts `bwrap …args` waiting for its command on stdin, in its own process group. */
function startSandbox(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn("bwrap", args, { cwd, detached: true, stdio: ["pipe", "pipe", "pipe"], env });
  child.on("error", () => {}); // reported to the call that takes it (spawn errors surface there too)
  child.stdin?.on("error", () => {}); // a sandbox that died before reading its command
  return child;
}

/** The spare sandbox when it matches `key` and is still waiting, made to keep owlet alive again; else undefined. */
function takeSpare(key: string): ChildProcess | undefined {
  const taken = spare;
  spare = undefined;
  if (!taken) return undefined;
  const alive = taken.child.exitCode === null && taken.child.signalCode === null && !taken.child.killed;
  if (taken.key !== key || !alive) {
    discard(taken.child);
    return undefined;
  }
  taken.child.ref();
  for (const stream of [taken.child.stdin, taken.child.stdout, taken.child.stderr])
    (stream as Socket | null)?.ref?.();
  return taken.child;
}

/**
 * Lets owlet exit while a spare waits (the spare dies with it: `--die-with-parent`, and its stdin closes). Output
 * is not read until a call takes the spare; a sandbox writes nothing before it has its command, except bwrap's
 * own errors, which then reach that call.
 */
function unref(child: ChildProcess): ChildProcess {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref?.();
  return child;
}

function discard(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Stops the spare sandbox, if any (tests, and callers that change settings). */
export function discardSpareSandbox(): void {
  if (spare) discard(spare.child);
  spare = undefined;
}
