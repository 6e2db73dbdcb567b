/**
 * The bubblewrap (`bwrap`) command line that runs one bash command in a sandbox, after Codex's Linux sandbox
 * (codex-rs/linux-sandbox: read-only root, writable roots with `.git` kept read-only, no network, a new PID
 * namespace) and bubblewrap's own examples. Pure: the file-system facts it needs come from
 * {@link inspectProtectedPaths} (see layout.ts), so the argv can be unit-tested.
 */
import type { SandboxSettings } from "./settings.ts";

/** A path inside the workspace that stays read-only in `workspace-write` mode, and what is there now. */
export interface ProtectedEntry {
  /** Absolute path. */
  path: string;
  /**
   * `dir`/`file`: it exists (mounted read-only over itself); `missing-dir`/`missing-file`: it does not, and an
   * empty read-only directory (or file) is mounted there so the command cannot create it; `writable-dir`: a
   * directory mounted writable over itself only so that it is a mount point (`.git`: it cannot be renamed away and
   * recreated with hooks of the command's choosing).
   */
  kind: "dir" | "file" | "missing-dir" | "missing-file" | "writable-dir";
}

/**
 * Namespaces and privileges, first on every sandbox's command line (and in the probe): a new user namespace and
 * `--cap-drop ALL`, so a command run by root has no capabilities over the host (without them root inside could
 * `mount -o remount,rw /` and write anywhere, or set the host's hostname), new PID, IPC, UTS and (where the kernel
 * has it) cgroup namespaces, and `--die-with-parent`.
 */
export const NAMESPACE_ARGS = [
  "--die-with-parent",
  "--unshare-user",
  "--unshare-pid",
  "--unshare-ipc",
  "--unshare-uts",
  "--unshare-cgroup-try",
  "--cap-drop",
  "ALL",
] as const;

/** Where systemd-resolved and resolvconf keep the resolv.conf that /etc/resolv.conf may link to. */
const RESOLVER_DIRS = ["/run/systemd/resolve", "/run/resolvconf"];

/** Everything {@link bwrapArgs} needs. */
export interface BwrapPlan {
  /** Absolute, symlink-resolved workspace root; the command's working directory. */
  workspaceRoot: string;
  settings: SandboxSettings;
  /** Protected paths under the workspace, parents before children (see inspectProtectedPaths). */
  protectedEntries: readonly ProtectedEntry[];
  /** An empty directory outside the workspace, mounted over missing protected directories. */
  emptyDir: string;
  /** An empty file outside the workspace, mounted over missing protected files. */
  emptyFile: string;
  /** Extra top-level directories to hide behind an empty tmpfs (`/run`, `/var/run`: daemon sockets). */
  maskedDirs: readonly string[];
}

/**
 * The argv (without the leading `bwrap`) that runs `bash -c command` under `plan`: {@link NAMESPACE_ARGS}
 * (no capabilities; the sandbox dies with owlet; a new PID namespace with a fresh `/proc`, so no process outside is
 * visible: not owlet's `/proc/<pid>/environ` or `cmdline`), a new network
 * namespace unless `settings.network` (`--unshare-net`: loopback only, not even the host's 127.0.0.1), the whole
 * file system read-only (`--ro-bind / /`), a minimal `/dev`, a private `/tmp`, `/run` hidden (daemon sockets
 * such as docker.sock are reachable through a read-only mount; with the network on, the resolver's directories
 * come back read-only), then in `workspace-write` the workspace
 * writable (`--bind`) with the protected entries mounted back read-only over it; then `shell` (default
 * `bash -c`) with `command`. Throws for mode `off`.
 */
export function bwrapArgs(
  plan: BwrapPlan,
  command: string,
  shell: readonly string[] = ["bash", "-c"],
): string[] {
  const { settings, workspaceRoot: root } = plan;
  if (settings.mode === "off") throw new Error("bwrapArgs: the sandbox is off");
  const args: string[] = [...NAMESPACE_ARGS];
  if (!settings.network) args.push("--unshare-net");
  args.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp");
  for (const dir of plan.maskedDirs) args.push("--tmpfs", dir);
  if (settings.network) {
    // /etc/resolv.conf often links into /run: keep name resolution working when the network is allowed
    for (const dir of RESOLVER_DIRS) {
      if (plan.maskedDirs.some((masked) => dir.startsWith(`${masked}/`)))
        args.push("--ro-bind-try", dir, dir);
    }
  }
  if (settings.mode === "workspace-write") {
    args.push("--bind", root, root);
    for (const entry of plan.protectedEntries) {
      switch (entry.kind) {
        case "writable-dir":
          args.push("--bind", entry.path, entry.path);
          break;
        case "dir":
        case "file":
          args.push("--ro-bind", entry.path, entry.path);
          break;
        case "missing-dir":
          args.push("--ro-bind", plan.emptyDir, entry.path);
          break;
        case "missing-file":
          args.push("--ro-bind", plan.emptyFile, entry.path);
          break;
      }
    }
  }
  args.push("--chdir", root, "--", ...shell, command);
  return args;
}

/** Names always passed into the sandbox (Codex keeps a similar core set). */
export const SANDBOX_ENV_NAMES = ["PATH", "HOME", "LANG", "TERM"] as const;

/**
 * The environment of a sandboxed command: only {@link SANDBOX_ENV_NAMES} and `extra` names taken from `env`
 * (which the caller has already stripped of provider keys), then `fixed` (owlet's own settings such as
 * `PAGER=cat`) on top. Names absent from `env` are left out.
 */
export function sandboxEnv(
  env: NodeJS.ProcessEnv,
  extra: readonly string[],
  fixed: Record<string, string>,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of [...SANDBOX_ENV_NAMES, ...extra]) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return { ...out, ...fixed };
}
