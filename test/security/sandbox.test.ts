/**
 * The bash sandbox with real processes (bubblewrap): what a command run by the bash tool can and cannot reach.
 * Skipped, with the reason, where bubblewrap is missing or refused (CI installs it: scripts/install-system-deps.sh).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bash } from "../../src/tool/builtin/bash.ts";
import { probeSandbox } from "../../src/tool/sandbox/probe.ts";
import { DEFAULT_SANDBOX_SETTINGS, type SandboxSettings } from "../../src/tool/sandbox/settings.ts";
import { tempDir, testContext } from "../../src/tool/test-helpers.ts";
import type { ToolOutput } from "../../src/tool/types.ts";

const availability = await probeSandbox();
if (!availability.ok) console.warn(`sandbox tests skipped: ${availability.reason}`);

let ws: string;
let outside: string;
let cleanups: (() => void | Promise<void>)[] = [];

beforeEach(async () => {
  const temp = await tempDir("owlet-sandbox-ws-");
  ws = temp.dir;
  execFileSync("git", ["init", "-q"], { cwd: ws });
  // outside the workspace and outside /tmp (which the sandbox replaces with its own)
  outside = mkdtempSync("/var/tmp/owlet-outside-");
  writeFileSync(`${outside}/keep.txt`, "precious\n");
  const made = outside;
  cleanups.push(temp.cleanup, () => rmSync(made, { recursive: true, force: true }));
});

afterAll(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

function run(command: string, settings: Partial<SandboxSettings> = {}): Promise<ToolOutput> {
  return bash.run({ command }, { ...testContext(ws), sandbox: { ...DEFAULT_SANDBOX_SETTINGS, ...settings } });
}

describe.skipIf(!availability.ok)("bash in the bubblewrap sandbox (workspace-write)", () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.end("hello\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("writes in the workspace", async () => {
    const r = await run("echo made > out.txt && mkdir -p src/a && echo x > src/a/b.txt && cat out.txt");
    expect(r.isError, r.output).toBeFalsy();
    expect(readFileSync(`${ws}/out.txt`, "utf8")).toBe("made\n");
    expect(existsSync(`${ws}/src/a/b.txt`)).toBe(true);
  });

  it("cannot write or delete outside the workspace", async () => {
    const r = await run(
      `echo pwned > ${outside}/new.txt; rm -rf ${outside}; echo more >> ${outside}/keep.txt`,
    );
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/Read-only file system/);
    expect(existsSync(`${outside}/new.txt`)).toBe(false);
    expect(readFileSync(`${outside}/keep.txt`, "utf8")).toBe("precious\n");
  });

  it("cannot write a git hook or git config, nor move .git away and rebuild it", async () => {
    const r = await run(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      "echo evil > .git/hooks/pre-commit; d=.gi; echo evil > ${d}t/hooks/post-checkout; " +
        "git config core.hooksPath /tmp/h; echo '[core]' >> .git/config; mv .git .git-old; rm -rf .git/hooks",
    );
    expect(r.isError).toBe(true);
    expect(existsSync(`${ws}/.git/hooks/pre-commit`)).toBe(false);
    expect(existsSync(`${ws}/.git/hooks/post-checkout`)).toBe(false);
    expect(readFileSync(`${ws}/.git/config`, "utf8")).not.toContain("hooksPath");
    expect(existsSync(`${ws}/.git-old`)).toBe(false);
    expect(existsSync(`${ws}/.git/hooks`)).toBe(true);
  });

  it("still commits: the rest of .git is writable", async () => {
    const r = await run(
      "echo a > a.txt && git add a.txt && git -c user.name=t -c user.email=t@t commit -qm one && git log --oneline | wc -l",
    );
    expect(r.isError, r.output).toBeFalsy();
    expect(r.output.trim()).toBe("1");
  });

  it("cannot create owlet's project config, and leaves no stand-in mount points behind", async () => {
    const r = await run("mkdir -p .owlet; echo 'mode = \"bypass\"' > .owlet/config.toml");
    expect(r.isError).toBe(true);
    expect(existsSync(`${ws}/.owlet/config.toml`)).toBe(false);
    expect(existsSync(`${ws}/.owlet`)).toBe(false);
  });

  it("has a private /tmp", async () => {
    writeFileSync("/tmp/owlet-sandbox-host-file", "host");
    try {
      const r = await run("ls /tmp; echo x > /tmp/inside && cat /tmp/inside");
      expect(r.output).not.toContain("owlet-sandbox-host-file");
      expect(r.output.trim().split("\n").at(-1)).toBe("x");
      expect(existsSync("/tmp/inside")).toBe(false);
    } finally {
      rmSync("/tmp/owlet-sandbox-host-file", { force: true });
    }
  });

  it("gives every call a fresh sandbox (sandboxes are started ahead, never reused)", async () => {
    mkdirSync(`${ws}/.owlet`); // a project root: the next sandbox is prepared ahead
    const first = await run("echo one > /tmp/left-behind; sleep 30 >/dev/null 2>&1 & echo started");
    expect(first.output).toBe("started");
    // cat's error goes to stdout too: stdout and stderr are separate pipes, so their order in the output is not fixed.
    const second = await run("cat /tmp/left-behind 2>&1; ps -e -o comm= | grep -c sleep");
    expect(second.output).toMatch(/No such file or directory/);
    expect(second.output.trim().split("\n").at(-1)).toBe("0");
  });

  it("reaches no network, not even the host's loopback", async () => {
    const before = connections;
    const r = await run(`exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`);
    expect(r.isError).toBe(true);
    expect(r.output).not.toContain("connected");
    expect(connections).toBe(before);
  });

  it("reaches the network when [sandbox] network = true", async () => {
    const r = await run(`exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`, { network: true });
    expect(r.output).toContain("hello");
  });

  it("sees no process outside its PID namespace: owlet's /proc/<pid>/environ and cmdline are out of reach", async () => {
    const r = await run(
      `cat /proc/${process.pid}/environ; cat /proc/${process.pid}/cmdline; echo ppid=$PPID; ls /proc | grep -c '^[0-9]'`,
    );
    expect(r.output).toMatch(/No such file or directory/);
    expect(r.output).not.toContain("vitest");
    const count = Number(r.output.trim().split("\n").at(-1));
    expect(count).toBeLessThan(10);
  });

  it("clears the environment to PATH, HOME, LANG, TERM and configured names", async () => {
    process.env.OWLET_TEST_SECRET_TOKEN = "s3cret-canary";
    process.env.OWLET_TEST_ALLOWED = "visible";
    try {
      const r = await run("env", { env: ["OWLET_TEST_ALLOWED"] });
      const names = r.output
        .split("\n")
        .map((line) => line.split("=")[0])
        .sort();
      expect(r.output).not.toContain("s3cret-canary");
      expect(r.output).toContain("OWLET_TEST_ALLOWED=visible");
      for (const name of names) {
        expect([
          "PATH",
          "HOME",
          "LANG",
          "TERM",
          "PAGER",
          "GIT_PAGER",
          "GIT_TERMINAL_PROMPT",
          "OWLET_TEST_ALLOWED",
          "PWD",
          "SHLVL",
          "_",
          "OLDPWD",
        ]).toContain(name);
      }
    } finally {
      delete process.env.OWLET_TEST_SECRET_TOKEN;
      delete process.env.OWLET_TEST_ALLOWED;
    }
  });

  it("has no capabilities: root inside cannot remount / read-write or change the host's hostname", async () => {
    const hostname = readFileSync("/proc/sys/kernel/hostname", "utf8");
    try {
      const r = await run(
        "grep CapEff /proc/self/status; mount -o remount,rw,bind / ; " +
          `touch ${outside}/after-remount; echo owlet-sandbox > /proc/sys/kernel/hostname; hostname`,
      );
      expect(r.output).toMatch(/CapEff:\s+0+\n/);
      expect(existsSync(`${outside}/after-remount`)).toBe(false);
      expect(readFileSync("/proc/sys/kernel/hostname", "utf8")).toBe(hostname);
    } finally {
      // were the sandbox broken, put the host's name back (only root could have changed it, and root can)
      if (readFileSync("/proc/sys/kernel/hostname", "utf8") !== hostname) {
        writeFileSync("/proc/sys/kernel/hostname", hostname);
      }
    }
  });

  it("read-only mode: the workspace is read-only too", async () => {
    const r = await run("echo x > ro.txt", { mode: "read-only" });
    expect(r.isError).toBe(true);
    expect(existsSync(`${ws}/ro.txt`)).toBe(false);
  });

  it("mode off runs bash directly", async () => {
    const r = await run(`echo out > ${outside}/direct.txt`, { mode: "off" });
    expect(r.isError, r.output).toBeFalsy();
    expect(existsSync(`${outside}/direct.txt`)).toBe(true);
  });

  it("still times out and kills the whole sandbox", async () => {
    const started = Date.now();
    const r = await bash.run(
      { command: "sleep 30 & sleep 30", timeout: 1 },
      { ...testContext(ws), sandbox: DEFAULT_SANDBOX_SETTINGS },
    );
    expect(r.metadata?.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(8000);
  });
});

it("a missing workspace .git is not created by the sandbox's mounts", async () => {
  if (!availability.ok) return;
  const temp = await tempDir("owlet-sandbox-nogit-");
  cleanups.push(temp.cleanup);
  mkdirSync(`${temp.dir}/src`);
  const r = await bash.run(
    { command: "git init -q . ; ls -a" },
    { ...testContext(temp.dir), sandbox: DEFAULT_SANDBOX_SETTINGS },
  );
  expect(r.output).toMatch(/Read-only file system|cannot mkdir|could not/i);
  expect(existsSync(`${temp.dir}/.git`)).toBe(false);
});
