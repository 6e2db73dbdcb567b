import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OWLET_BIN } from "./fixture-repo.ts";

/** The outcome of one owlet process. */
export interface OwletRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const KEY_VARS = [
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "GEMINI_API_KEY",
  "GOOGLE_GENERATIVE_AI_API_KEY",
  "MISTRAL_API_KEY",
  "OWLET_PROVIDER",
  "OWLET_MODEL",
];

/**
 * The environment owlet runs with in tests: this process's, with config, cache, state and HOME under `home` (no
 * user config, no cached models, no prompt history of the user's), no API keys or OWLET_PROVIDER/OWLET_MODEL,
 * then `extra`.
 */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
    XDG_STATE_HOME: join(home, "state"),
    HOME: home,
  };
  for (const k of KEY_VARS) delete env[k];
  return Object.assign(env, extra);
}

/**
 * Runs bin/owlet as a user would, with an isolated config and cache home (no user config, no cached models,
 * no API keys unless given; pass `home` to share one between runs) and stdin from `input` through a pipe, or
 * redirected from the file `stdinFile` (as `owlet < file`), else nothing.
 */
export function runOwlet(
  args: string[],
  opts: {
    cwd: string;
    env?: Record<string, string>;
    input?: string;
    stdinFile?: string;
    timeoutMs?: number;
    home?: string;
  },
): Promise<OwletRun> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), "owlet-home-"));
  const env = isolatedEnv(home, opts.env);
  const stdinFd = opts.stdinFile === undefined ? undefined : openSync(opts.stdinFile, "r");
  return new Promise((resolve, reject) => {
    const child = spawn(OWLET_BIN, args, {
      cwd: opts.cwd,
      env,
      stdio: [stdinFd ?? (opts.input === undefined ? "ignore" : "pipe"), "pipe", "pipe"],
    });
    if (stdinFd !== undefined) closeSync(stdinFd);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
