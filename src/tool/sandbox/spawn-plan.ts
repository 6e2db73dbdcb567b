/** How the bash tool starts one command: directly, or inside bubblewrap (see bwrap.ts). */
import { type BwrapPlan, bwrapArgs, type ProtectedEntry, sandboxEnv } from "./bwrap.ts";
import { inspectProtectedPaths, maskedDirs, removeMountPoints, standIns } from "./layout.ts";
import { probeSandbox } from "./probe.ts";
import type { SandboxSettings } from "./settings.ts";

/** The program, argv and environment to spawn, and what to do after the process has ended. */
export interface CommandSpawn {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** True when the command runs inside bubblewrap. */
  sandboxed: boolean;
  /** Call once the process has exited: removes mount points bwrap had to create. Never throws. */
  cleanup(): void;
}

/**
 * The spawn of `bash -c command` in `workspaceRoot`: with `settings` off (or absent) or bubblewrap unusable (see
 * probeSandbox; the permission gate has then asked the user), plain bash with `env` (already stripped of
 * secrets) plus `fixed`; otherwise `bwrap` with the sandbox's argv and its allowlisted environment (sandboxEnv).
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
    args: ["-c", command],
    env: { ...env, ...fixed },
    sandboxed: false,
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
  return {
    file: "bwrap",
    args: bwrapArgs(plan, command),
    env: sandboxEnv(env, settings.env, fixed),
    sandboxed: true,
    cleanup: () => removeMountPoints(protectedEntries),
  };
}
