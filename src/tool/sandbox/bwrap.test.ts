import { describe, expect, it } from "vitest";
import { type BwrapPlan, bwrapArgs, sandboxEnv } from "./bwrap.ts";
import { DEFAULT_SANDBOX_SETTINGS } from "./settings.ts";

const plan = (over: Partial<BwrapPlan> = {}): BwrapPlan => ({
  workspaceRoot: "/w",
  settings: DEFAULT_SANDBOX_SETTINGS,
  protectedEntries: [
    { path: "/w/.git", kind: "writable-dir" },
    { path: "/w/.git/hooks", kind: "dir" },
    { path: "/w/.git/config", kind: "missing-file" },
    { path: "/w/.owlet", kind: "missing-dir" },
  ],
  emptyDir: "/e/dir",
  emptyFile: "/e/file",
  maskedDirs: ["/run"],
  ...over,
});

/** The option pairs/triples of an argv as strings, to look for one mount in order. */
const joined = (args: string[]) => args.join(" ");

describe("bwrapArgs", () => {
  it("workspace-write: no capabilities, new user/PID/IPC/UTS/net namespaces, read-only root, private /tmp, writable workspace, protected paths back read-only", () => {
    const args = bwrapArgs(plan(), "echo hi");
    expect(args.slice(0, 9)).toEqual([
      "--die-with-parent",
      "--unshare-user",
      "--unshare-pid",
      "--unshare-ipc",
      "--unshare-uts",
      "--unshare-cgroup-try",
      "--cap-drop",
      "ALL",
      "--unshare-net",
    ]);
    const text = joined(args);
    expect(text).toContain("--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --tmpfs /run");
    // the workspace bind comes after /tmp's tmpfs (a workspace under /tmp stays visible), protected mounts after it
    expect(text).toContain(
      "--bind /w /w --bind /w/.git /w/.git --ro-bind /w/.git/hooks /w/.git/hooks " +
        "--ro-bind /e/file /w/.git/config --ro-bind /e/dir /w/.owlet",
    );
    expect(text.indexOf("--tmpfs /tmp")).toBeLessThan(text.indexOf("--bind /w /w"));
    expect(args.slice(-6)).toEqual(["--chdir", "/w", "--", "bash", "-c", "echo hi"]);
  });

  it("read-only: nothing bound writable", () => {
    const args = bwrapArgs(plan({ settings: { ...DEFAULT_SANDBOX_SETTINGS, mode: "read-only" } }), "ls");
    expect(args).not.toContain("--bind");
    expect(joined(args)).not.toContain("/w/.git");
    expect(args).toContain("--unshare-net");
  });

  it("keeps the network only when asked", () => {
    const args = bwrapArgs(plan({ settings: { ...DEFAULT_SANDBOX_SETTINGS, network: true } }), "ls");
    expect(args).not.toContain("--unshare-net");
    expect(args).toContain("--unshare-pid");
    expect(args).toContain("--unshare-user");
    // name resolution survives /run being hidden
    expect(joined(args)).toContain("--tmpfs /run --ro-bind-try /run/systemd/resolve /run/systemd/resolve");
    expect(joined(bwrapArgs(plan(), "ls"))).not.toContain("resolve");
  });

  it("refuses mode off", () => {
    expect(() => bwrapArgs(plan({ settings: { ...DEFAULT_SANDBOX_SETTINGS, mode: "off" } }), "ls")).toThrow(
      /off/,
    );
  });

  it("passes the command as one argument, never through a shell", () => {
    const command = "echo '$(x)'; rm -rf \"a b\"";
    expect(bwrapArgs(plan(), command).at(-1)).toBe(command);
  });
});

describe("sandboxEnv", () => {
  it("keeps PATH, HOME, LANG, TERM and configured names, then owlet's fixed settings", () => {
    const env = {
      PATH: "/bin",
      HOME: "/h",
      LANG: "C.UTF-8",
      TERM: "xterm",
      GITHUB_TOKEN: "ghp_x",
      AWS_SECRET_ACCESS_KEY: "s",
      NODE_ENV: "test",
      SSH_AUTH_SOCK: "/run/ssh",
    };
    expect(sandboxEnv(env, ["NODE_ENV", "MISSING"], { TERM: "dumb", PAGER: "cat" })).toEqual({
      PATH: "/bin",
      HOME: "/h",
      LANG: "C.UTF-8",
      TERM: "dumb",
      NODE_ENV: "test",
      PAGER: "cat",
    });
  });
});
