import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResultsStore } from "./results-store.ts";
import { tempDir } from "./test-helpers.ts";

let base: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: base, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe("ResultsStore", () => {
  it("passes outputs under 1024 bytes through without creating the directory", async () => {
    const dir = path.join(base, "results");
    const store = new ResultsStore(dir);
    expect(store.maybeStore("fs_read", "c1", "x".repeat(1023))).toEqual({ content: "x".repeat(1023) });
    expect(store.pathFor("c1")).toBeUndefined();
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it("saves outputs of 1024 bytes or more (0600 file in a 0700 dir) and returns a preview", async () => {
    const dir = path.join(base, "results");
    const store = new ResultsStore(dir);
    const output = `${"a".repeat(2000)}TAIL${"b".repeat(500)}`;
    const r = store.maybeStore("fs_grep", "call_1", output);
    const file = path.join(dir, "fs_grep-call_1.txt");
    expect(r.path).toBe(file);
    expect(r.content).toBe(
      `[Tool result saved: ${file}]\n\nPreview (first 2000 chars):\n${"a".repeat(2000)}`,
    );
    expect(await readFile(file, "utf8")).toBe(output);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(store.pathFor("call_1")).toBe(file);
  });

  it("counts bytes, not characters, for the threshold", () => {
    const store = new ResultsStore(path.join(base, "r"));
    expect(store.maybeStore("t", "x", "é".repeat(512)).path).toBeDefined(); // 1024 bytes, 512 chars
  });

  it("sanitises call ids and tool names for file names", () => {
    const store = new ResultsStore(path.join(base, "r"));
    const r = store.maybeStore("mcp.server/tool", "../../etc/passwd", "z".repeat(2000));
    expect(path.dirname(r.path!)).toBe(path.join(base, "r"));
    expect(path.basename(r.path!)).toBe("mcp_server_tool-______etc_passwd.txt");
  });

  it("never overwrites an earlier saved result when a call id comes again (e.g. after a resume)", async () => {
    const dir = path.join(base, "r");
    const first = new ResultsStore(dir).maybeStore("fs_read", "call_0", "1".repeat(2000));
    const again = new ResultsStore(dir).maybeStore("fs_read", "call_0", "2".repeat(2000));
    const alike = new ResultsStore(dir).maybeStore("fs_read", "call.0", "3".repeat(2000));
    expect(again.path).toBe(path.join(dir, "fs_read-call_0-2.txt"));
    expect(alike.path).toBe(path.join(dir, "fs_read-call_0-3.txt"));
    expect(await readFile(first.path!, "utf8")).toBe("1".repeat(2000));
    expect(await readFile(again.path!, "utf8")).toBe("2".repeat(2000));
    expect(await readFile(alike.path!, "utf8")).toBe("3".repeat(2000));
  });
});

describe("ResultsStore.scoped", () => {
  it("keeps a subagent's results beside its parent's without taking the parent's call ids", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const store = new ResultsStore(join(mkdtempSync(join(tmpdir(), "owlet-rs-")), "r"));
    const child = store.scoped("agent-1");
    const big = (c: string) => c.repeat(2000);
    const p = store.maybeStore("fs_read", "call_0_0", big("p")).path!;
    const c = child.maybeStore("fs_read", "call_0_0", big("c")).path!;
    expect(c).toBe(join(store.dir, "fs_read-agent-1-call_0_0.txt"));
    expect(store.pathFor("call_0_0")).toBe(p);
    expect(child.pathFor("call_0_0")).toBe(c);
    expect(readFileSync(p, "utf8").startsWith("p")).toBe(true);
  });
});
