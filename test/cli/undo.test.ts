import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const call = (name: string, args: unknown) => ({ toolCalls: [{ name, arguments: JSON.stringify(args) }] });
const git = (repo: string, ...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * What the user's git knows: the index file's bytes (read first: `git status` may refresh its stat cache), its
 * entries, status, HEAD, branches and stash.
 */
function userGitState(repo: string) {
  const bytes = sha(readFileSync(join(repo, ".git", "index")));
  return {
    bytes,
    entries: git(repo, "ls-files", "-s"),
    status: git(repo, "status", "--porcelain", "--untracked-files=all"),
    head: git(repo, "rev-parse", "HEAD"),
    branches: git(repo, "branch", "--list"),
    stash: git(repo, "stash", "list"),
  };
}

describe("owlet undo (issue 12)", () => {
  it("after a turn that edited two files and ran sed -i, restores all three byte for byte; the user's git is untouched", async () => {
    // a file with CRLF line ends, no final newline and bytes that are not UTF-8: restored exactly
    const repo = await fixtureRepo("repo-add");
    await writeFile(
      join(repo, "notes.txt"),
      Buffer.from([0x6f, 0x6e, 0x65, 0x0d, 0x0a, 0xff, 0xfe, 0x74, 0x77, 0x6f]),
    );
    git(repo, "add", "notes.txt");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "notes");
    const files = ["math.js", "test.js", "notes.txt"];
    const before = Object.fromEntries(files.map((f) => [f, readFileSync(join(repo, f))]));
    const script = [
      { text: "hello" }, // turn 1: changes nothing
      call("fs_read", { path: "math.js" }),
      call("fs_edit", { path: "math.js", old_string: "return a - b;", new_string: "return a + b;" }),
      call("fs_read", { path: "test.js" }),
      call("fs_write", { path: "test.js", content: "// rewritten by the model\n" }),
      call("bash", { command: "sed -i 's/one/ONE/' notes.txt && echo new > created.txt" }),
      { text: "done: fixed add, rewrote the test, edited the notes" },
    ];
    server = await startScriptedServer(script);
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    const arm = [
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "m",
      "--no-two-stage",
    ];
    const first = await runOwlet(["-p", "hello", ...arm], { cwd: repo, home });
    expect(first.code, first.stderr).toBe(0);
    const state = userGitState(repo); // .owlet/ exists now; nothing else changed

    const edit = await runOwlet(
      [
        "-p",
        "fix add, rewrite test.js and edit notes.txt",
        ...arm,
        "--continue",
        "--permission-mode",
        "bypass",
      ],
      { cwd: repo, home },
    );
    expect(edit.code, edit.stderr).toBe(0);
    for (const f of files) expect(readFileSync(join(repo, f)).equals(before[f]!), f).toBe(false);
    // checkpointing left the user's index, HEAD, branches and stash alone; status shows only the edits
    const during = userGitState(repo);
    expect(during.bytes).toBe(state.bytes); // not a byte of the user's index was written
    expect(during.entries).toBe(state.entries);
    expect(during.head).toBe(state.head);
    expect(during.branches).toBe(state.branches);
    expect(during.stash).toBe(state.stash);
    expect(during.status.split("\n").filter(Boolean).sort()).toEqual(
      [
        ...state.status.split("\n").filter(Boolean),
        " M math.js",
        " M notes.txt",
        " M test.js",
        "?? created.txt",
      ].sort(),
    );

    const undo = await runOwlet(["undo"], { cwd: repo, home });
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/undid turn 2/);
    expect(undo.stdout).toContain("restored math.js");
    expect(undo.stdout).toContain("restored notes.txt");
    expect(undo.stdout).toContain("deleted created.txt");
    for (const f of files) expect(readFileSync(join(repo, f)).equals(before[f]!), f).toBe(true);
    // after undo the files have new mtimes, so git status may refresh the index's stat cache: compare its entries
    const { bytes: _bytes, ...after } = userGitState(repo);
    const { bytes: _before, ...expected } = state;
    expect(after).toEqual(expected);

    // the conversation is cut back to before the turn: a resume sees turn 1 only
    const dir = join(repo, ".owlet", "sessions");
    const file = readdirSync(dir).find((f) => f.endsWith(".jsonl"))!;
    const text = readFileSync(join(dir, file), "utf8");
    expect(text).not.toContain("fix add");
    expect(text).toContain('"prompt":"hello"');
    const again = await runOwlet(["undo", "--turn", "5"], { cwd: repo, home });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no turn 5; its turns are 1 to 1/);
  }, 60_000);
});
