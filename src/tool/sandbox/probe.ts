/**
 * Whether bubblewrap can sandbox commands here: probed once per process by running `true` with the sandbox's own
 * namespace and privilege options (see NAMESPACE_ARGS), so a kernel that refuses user namespaces counts as missing.
 */
import { spawn } from "node:child_process";
import { NAMESPACE_ARGS } from "./bwrap.ts";

/** The probe's answer: usable, or why not (shown to the user once). */
export type SandboxAvailability = { ok: true } | { ok: false; reason: string };

/** Longest the probe may take, in ms (a refused user namespace fails at once; a wedged one must not hang owlet). */
const PROBE_TIMEOUT_MS = 5000;

let cached: Promise<SandboxAvailability> | undefined;

/**
 * Probes bubblewrap once per process and caches the answer: `bwrap` missing from PATH, or refused (no user
 * namespaces, a seccomp policy, a container without the capability), is `{ ok: false, reason }` with the error
 * bwrap printed. Never rejects.
 */
export function probeSandbox(): Promise<SandboxAvailability> {
  cached ??= runProbe([...NAMESPACE_ARGS, "--unshare-net", "--ro-bind", "/", "/", "--proc", "/proc", "true"]);
  return cached;
}

/** Forgets the cached probe (tests). */
export function resetSandboxProbe(): void {
  cached = undefined;
}

/** Runs `bwrap ...args` and classifies the outcome; exported for tests. */
export function runProbe(args: string[], command = "bwrap"): Promise<SandboxAvailability> {
  return new Promise((resolve) => {
    let stderr = "";
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      resolve({ ok: false, reason: `${command} could not be started: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ ok: false, reason: `${command} did not answer within ${PROBE_TIMEOUT_MS / 1000} s` });
    }, PROBE_TIMEOUT_MS);
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        reason:
          error.code === "ENOENT"
            ? `${command} is not installed (Debian/Ubuntu: apt-get install bubblewrap)`
            : `${command} could not be started: ${error.message}`,
      });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else
        resolve({ ok: false, reason: `${command} refused to run (${stderr.trim() || `exit code ${code}`})` });
    });
  });
}
