import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { attack, callThenAnswer, closeServers, workspace } from "./harness.ts";

afterEach(closeServers);

describe("sessions and files", () => {
  it("a second --continue on a busy session exits 2 saying so; the busy run is not disturbed", async () => {
    const { repo, home } = await workspace();
    const first = await attack({ repo, home, prompt: "hello", script: [{ text: "hi" }] });
    expect(first.code, first.stderr).toBe(0);
    const slow = attack({
      repo,
      home,
      prompt: "again",
      args: ["--continue"],
      script: [{ text: ["a", "b", "c"], delayMs: 2500 }],
    });
    await new Promise((r) => setTimeout(r, 1200));
    const second = await attack({
      repo,
      home,
      prompt: "at the same time",
      args: ["--continue"],
      script: [{ text: "never" }],
    });
    expect(second.code).toBe(2);
    expect(second.stdout + second.stderr).toContain("in use by another owlet");
    expect(second.requests).toHaveLength(0);
    const busy = await slow;
    expect(busy.code, busy.stderr).toBe(0);
    const dir = join(repo, ".owlet", "sessions");
    const file = readdirSync(dir).find((f) => f.endsWith(".jsonl"))!;
    const lines = readFileSync(join(dir, file), "utf8").trim().split("\n");
    expect(lines.some((l) => l.includes("at the same time"))).toBe(false);
    expect(readdirSync(dir).some((f) => f.endsWith(".lock"))).toBe(false);
  });

  it("a repository shipping .owlet/sessions as a symlink: refused with exit 2, nothing written there", async () => {
    const { repo, home } = await workspace();
    const outside = mkdtempSync(join(tmpdir(), "owlet-outside-"));
    mkdirSync(join(repo, ".owlet"));
    symlinkSync(outside, join(repo, ".owlet", "sessions"));
    const run = await attack({ repo, home, prompt: "hello", script: [{ text: "hi" }] });
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain("is a symlink");
    expect(readdirSync(outside)).toEqual([]);
  });

  it("a repository shipping .owlet itself as a symlink: refused with exit 2", async () => {
    const { repo, home } = await workspace();
    const outside = mkdtempSync(join(tmpdir(), "owlet-outside-"));
    symlinkSync(outside, join(repo, ".owlet"));
    const run = await attack({ repo, home, prompt: "hello", script: [{ text: "hi" }] });
    expect(run.code).toBe(2);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("fs_edit keeps every byte it did not change, invalid UTF-8 included", async () => {
    const { repo, home } = await workspace();
    const before = Buffer.concat([
      Buffer.from("const a = 1;\n// latin-1: "),
      Buffer.from([0xe9, 0xff, 0xfe, 0x80]),
      Buffer.from("\nconst b = 2;\n"),
    ]);
    writeFileSync(join(repo, "mixed.js"), before);
    const run = await attack({
      repo,
      home,
      mode: "accept_edits",
      prompt: "edit",
      script: [
        { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "mixed.js" }) }] },
        ...callThenAnswer("fs_edit", {
          path: "mixed.js",
          old_string: "const b = 2;",
          new_string: "const b = 3;",
        }),
      ],
    });
    expect(run.code, run.stderr).toBe(0);
    const after = readFileSync(join(repo, "mixed.js"));
    expect(after.equals(Buffer.from(before.toString("latin1").replace("b = 2", "b = 3"), "latin1"))).toBe(
      true,
    );
  });
});
