import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Tool, ToolOutput } from "../types.ts";
import { CheckpointRecorder, type FileChange } from "./recorder.ts";
import { changesToUndo, restoreFiles } from "./restore.ts";
import { ShadowRepo } from "./shadow-repo.ts";

let ws: string;
let repo: ShadowRepo;
beforeEach(() => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), "owlet-ckpt-")));
  repo = new ShadowRepo(join(ws, ".owlet", "checkpoints"), ws);
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const tool = (name: string, readOnly = false) => ({ name, readOnly }) as unknown as Tool;
const call = (id: string) => ({ type: "tool_call" as const, id, name: "x", arguments: "{}" });

function recorder(changes: FileChange[]) {
  return new CheckpointRecorder({ repo, onChange: (c) => changes.push(c) });
}

describe("checkpoints", () => {
  it("records a file before fs_write changes it, once per turn, and restores it byte for byte with its mode", async () => {
    writeFileSync(join(ws, "a.sh"), Buffer.from([0x23, 0x21, 0x0d, 0x0a, 0xff]));
    chmodSync(join(ws, "a.sh"), 0o755);
    const changes: FileChange[] = [];
    const r = recorder(changes);
    r.turn = 3;
    const write = (content: string) => async (): Promise<ToolOutput> => {
      writeFileSync(join(ws, "a.sh"), content);
      chmodSync(join(ws, "a.sh"), 0o644);
      return { output: "ok" };
    };
    await r.wrap({ call: call("c1"), tool: tool("fs_write"), args: { path: "a.sh" } }, write("one"));
    await r.wrap({ call: call("c2"), tool: tool("fs_edit"), args: { path: join(ws, "a.sh") } }, write("two"));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ turn: 3, tool: "fs_write", path: "a.sh", mode: "100755" });
    const restored = await restoreFiles(changesToUndo(changes, 3), repo);
    expect(restored).toEqual([{ path: "a.sh", action: "restored" }]);
    expect(readFileSync(join(ws, "a.sh"))).toEqual(Buffer.from([0x23, 0x21, 0x0d, 0x0a, 0xff]));
    expect(statSync(join(ws, "a.sh")).mode & 0o111).not.toBe(0);
  });

  it("a bash call is snapshotted before and after: new files are deleted on undo, changed and removed ones restored", async () => {
    writeFileSync(join(ws, ".gitignore"), "build/\n");
    writeFileSync(join(ws, "keep.txt"), "keep\n");
    writeFileSync(join(ws, "gone.txt"), "gone\n");
    symlinkSync("keep.txt", join(ws, "link"));
    const changes: FileChange[] = [];
    const r = recorder(changes);
    r.turn = 1;
    await r.wrap({ call: call("b1"), tool: tool("bash"), args: { command: "…" } }, async () => {
      writeFileSync(join(ws, "keep.txt"), "changed\n");
      rmSync(join(ws, "gone.txt"));
      rmSync(join(ws, "link"));
      writeFileSync(join(ws, "new.txt"), "new\n");
      mkdirSync(join(ws, "build"));
      writeFileSync(join(ws, "build", "out.js"), "ignored\n");
      return { output: "" };
    });
    expect(changes.map((c) => c.path).sort()).toEqual(["gone.txt", "keep.txt", "link", "new.txt"]);
    const result = await restoreFiles(changesToUndo(changes, 1), repo);
    expect(result.find((f) => f.path === "new.txt")?.action).toBe("deleted");
    expect(readFileSync(join(ws, "keep.txt"), "utf8")).toBe("keep\n");
    expect(readFileSync(join(ws, "gone.txt"), "utf8")).toBe("gone\n");
    expect(lstatSync(join(ws, "link")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(ws, "link"))).toBe("keep.txt");
    expect(existsSync(join(ws, "new.txt"))).toBe(false);
    expect(existsSync(join(ws, "build", "out.js"))).toBe(true); // ignored files are never checkpointed or touched
  });

  it("never touches the workspace's own git repository", async () => {
    execFileSync("git", ["init", "-q"], { cwd: ws });
    writeFileSync(join(ws, "f.txt"), "x");
    const changes: FileChange[] = [];
    const r = recorder(changes);
    await r.wrap({ call: call("b"), tool: tool("bash"), args: {} }, async () => {
      writeFileSync(join(ws, "f.txt"), "y");
      return { output: "" };
    });
    expect(existsSync(join(ws, ".git", "index"))).toBe(false);
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: ws, encoding: "utf8" })).toBe("?? f.txt\n");
  });

  it("leaves read-only tools alone and refuses to restore into .git or .owlet", async () => {
    const changes: FileChange[] = [];
    const r = recorder(changes);
    let ran = false;
    await r.wrap({ call: call("r"), tool: tool("fs_read", true), args: { path: "x" } }, async () => {
      ran = true;
      return { output: "" };
    });
    expect(ran).toBe(true);
    expect(existsSync(repo.gitDir)).toBe(false); // nothing was even created
    const refused = await restoreFiles(
      [
        { turn: 1, tool: "bash", call: "c", path: ".git/config", before: null },
        { turn: 1, tool: "bash", call: "c", path: ".owlet/config.toml", before: null },
        { turn: 1, tool: "bash", call: "c", path: "../outside", before: null },
      ],
      repo,
    );
    expect(refused.every((f) => f.action === "skipped")).toBe(true);
  });

  it("a checkpoint store that fails warns once; the calls still run, and later commands skip the snapshots", async () => {
    writeFileSync(join(ws, "blocker"), "a file where the store's directory should be");
    const broken = new ShadowRepo(join(ws, "blocker", "checkpoints"), ws);
    const warnings: string[] = [];
    const r = new CheckpointRecorder({ repo: broken, onChange: () => {}, warn: (m) => warnings.push(m) });
    let runs = 0;
    const run = async (): Promise<ToolOutput> => {
      runs++;
      return { output: "ran" };
    };
    expect(await r.wrap({ call: call("b1"), tool: tool("bash"), args: {} }, run)).toEqual({ output: "ran" });
    expect(await r.wrap({ call: call("b2"), tool: tool("bash"), args: {} }, run)).toEqual({ output: "ran" });
    expect(await r.wrap({ call: call("w"), tool: tool("fs_write"), args: { path: "f" } }, run)).toEqual({
      output: "ran",
    });
    expect(runs).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot be undone with owlet undo/);
  });

  it("undo of turn N restores each file as it was before the earliest change from turn N on", () => {
    const c = (turn: number, path: string, before: string | null): FileChange => ({
      turn,
      tool: "fs_write",
      call: "c",
      path,
      before,
    });
    const plan = changesToUndo([c(1, "a", "a0"), c(2, "a", "a1"), c(2, "b", null), c(3, "a", "a2")], 2);
    expect(plan.map((p) => [p.path, p.before])).toEqual([
      ["a", "a1"],
      ["b", null],
    ]);
  });
});
