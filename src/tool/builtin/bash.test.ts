import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, testContext } from "../test-helpers.ts";
import { bash } from "./bash.ts";

let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: ws, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** `gone`, or the state letter from /proc/<pid>/stat (Z = zombie). */
async function processState(pid: number): Promise<string> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]!;
  } catch {
    return "gone";
  }
}

describe("bash", () => {
  it("runs in the workspace root with combined stdout and stderr", async () => {
    const r = await bash.run({ command: "pwd; echo out; echo err >&2" }, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe(`${await realpath(ws)}\nout\nerr`);
    expect(r.metadata).toEqual({ exitCode: 0, timedOut: false });
  });

  it("prefixes a non-zero exit with Exit code N", async () => {
    const r = await bash.run({ command: "echo failing; exit 3" }, testContext(ws));
    expect(r).toEqual({
      output: "Exit code 3\nfailing",
      isError: true,
      metadata: { exitCode: 3, timedOut: false },
    });
  });

  it("says (no output) for silent success and reads /dev/null as stdin", async () => {
    expect((await bash.run({ command: "true" }, testContext(ws))).output).toBe("(no output)");
    expect((await bash.run({ command: "cat; echo done" }, testContext(ws))).output).toBe("done");
  });

  it("kills the whole process group on timeout and returns partial output", async () => {
    const started = Date.now();
    const r = await bash.run(
      { command: "echo before; sleep 30 & echo $! > bg.pid; sleep 30; echo AFTER_MARK", timeout: 1 },
      testContext(ws),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(3500);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^Command timed out after 1 s and was killed/);
    expect(r.output).toContain("before");
    expect(r.output).not.toContain("AFTER_MARK");
    expect(r.metadata).toMatchObject({ timedOut: true });
    // the background grandchild was in the same process group and is gone too
    const bgPid = Number(await readFile(path.join(ws, "bg.pid"), "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await processState(bgPid)).toMatch(/^(gone|Z)$/); // exited (possibly an unreaped zombie)
  });

  it("escalates to SIGKILL when SIGTERM is ignored", async () => {
    const started = Date.now();
    const r = await bash.run({ command: "trap '' TERM; echo ready; sleep 30", timeout: 1 }, testContext(ws));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.metadata).toMatchObject({ timedOut: true });
  });

  it("still SIGKILLs a SIGTERM-ignoring child after the shell itself has exited", async () => {
    // bash dies on SIGTERM; the child ignores it and keeps the pipes, so the result comes back before the grace ends
    const r = await bash.run(
      { command: "sh -c 'trap \"\" TERM; echo $$ > child.pid; exec sleep 30' & wait", timeout: 1 },
      testContext(ws),
    );
    expect(r.metadata).toMatchObject({ timedOut: true });
    const childPid = Number(await readFile(path.join(ws, "child.pid"), "utf8"));
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500)); // past BASH_KILL_GRACE_MS
      expect(await processState(childPid)).toMatch(/^(gone|Z)$/);
    } finally {
      try {
        process.kill(childPid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });

  it("clamps the timeout to maxBashTimeoutSec and defaults to bashTimeoutSec", async () => {
    const started = Date.now();
    const r = await bash.run(
      { command: "sleep 30", timeout: 100 },
      testContext(ws, { maxBashTimeoutSec: 1 }),
    );
    expect(Date.now() - started).toBeLessThan(3500);
    expect(r.output).toMatch(/timed out after 1 s/);
    const d = await bash.run({ command: "sleep 30" }, testContext(ws, { bashTimeoutSec: 1 }));
    expect(d.metadata).toMatchObject({ timedOut: true });
  });

  it("kills the group when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const r = await bash.run({ command: "echo go; sleep 30" }, testContext(ws, {}, controller.signal));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^Command cancelled/);
    expect(r.output).toContain("go");
  });

  it("caps output keeping head and tail", async () => {
    const r = await bash.run(
      { command: "echo START; head -c 100000 /dev/zero | tr '\\0' x; echo; echo END" },
      testContext(ws, { maxOutputBytes: 1000 }),
    );
    expect(r.output.startsWith("START\n")).toBe(true);
    expect(r.output.endsWith("\nEND")).toBe(true);
    const omitted = /… (\d+) bytes omitted …/.exec(r.output);
    expect(Number(omitted?.[1])).toBe(100000 + 6 + 1 + 4 - 1000);
    expect(r.output.length).toBeLessThan(1100);
  });

  it("refuses interactive commands without running them", async () => {
    for (const command of [
      "vim a.txt",
      "sudo rm -rf /tmp/x",
      "git push origin main",
      "python3",
      "cd src && less file",
      "FOO=1 ssh host",
    ]) {
      const r = await bash.run({ command }, testContext(ws));
      expect(r.isError, command).toBe(true);
      expect(r.output, command).toMatch(/^Refused: /);
      expect(r.metadata).toMatchObject({ interactive: true });
    }
    const ok = await bash.run(
      { command: "echo 'vim is fine when quoted' | cat; python3 -c 'print(1)' > out.txt" },
      testContext(ws),
    );
    expect(ok.isError).toBeFalsy();
    expect(await readFile(path.join(ws, "out.txt"), "utf8")).toBe("1\n");
  });

  it("returns when the shell exits even if a background child holds the pipes", async () => {
    const started = Date.now();
    const r = await bash.run({ command: "sleep 5 & echo bg" }, testContext(ws));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.output).toBe("bg");
  });

  it("does not pass provider API keys (or any *_API_KEY) to the command", async () => {
    const keys = [
      "ANTHROPIC_API_KEY",
      "OPENAI_API_KEY",
      "GEMINI_API_KEY",
      "MISTRAL_API_KEY",
      "OWLET_TEST_API_KEY",
    ];
    const saved = new Map([...keys, "OWLET_TEST_KEEP"].map((k) => [k, process.env[k]]));
    for (const key of keys) process.env[key] = "secret-value";
    process.env.OWLET_TEST_KEEP = "kept";
    try {
      const r = await bash.run({ command: "env" }, testContext(ws));
      expect(r.isError).toBeFalsy();
      expect(r.output).not.toContain("secret-value");
      expect(r.output).toContain("OWLET_TEST_KEEP=kept");
      expect(process.env.ANTHROPIC_API_KEY).toBe("secret-value"); // the parent's environment is untouched
    } finally {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
