/**
 * What checkpoints cost per tool call (issue 12): a workspace of FILES files (2 KiB each, one directory per 100,
 * a `.gitignore`d `node_modules/` of the same size beside them) is snapshotted into the shadow repository as a bash
 * call is (`git add -A` + `write-tree` before and after the call, then the diff), and one file is stored as
 * fs_write/fs_edit do (`git hash-object -w`). Prints the median of RUNS runs (ms) for: the first snapshot (a
 * new shadow repository hashes every file), a bash call that changes one file (two snapshots + diff), and one
 * file store; and the ratio of a bash call to a plain `git status` of the same workspace (what any git-aware tool
 * pays). Writes bench/results/checkpoints.json. Run: `npm run bench -- checkpoints`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CheckpointRecorder, type FileChange } from "../src/tool/checkpoints/recorder.ts";
import { ShadowRepo } from "../src/tool/checkpoints/shadow-repo.ts";
import type { Tool } from "../src/tool/types.ts";
import { median, printTable } from "./stats.ts";

const FILES = Number(process.env.OWLET_BENCH_FILES ?? 2000);
const RUNS = 5;
const root = fileURLToPath(new URL("..", import.meta.url));

function workspace(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "owlet-bench-ckpt-")));
  const body = "x".repeat(2048);
  for (const top of ["src", "node_modules"]) {
    for (let i = 0; i < FILES; i++) {
      const sub = join(dir, top, `d${Math.floor(i / 100)}`);
      if (i % 100 === 0) mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `f${i}.txt`), `${i}\n${body}`);
    }
  }
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync("git", ["add", "-A"], { cwd: dir });
  execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "w"], { cwd: dir });
  return dir;
}

async function time(step: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await step();
  return performance.now() - t;
}

const first: number[] = [];
const bash: number[] = [];
const file: number[] = [];
const status: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const dir = workspace();
  try {
    const repo = new ShadowRepo(join(dir, ".owlet", "checkpoints"), dir);
    first.push(await time(() => repo.snapshot()));
    const changes: FileChange[] = [];
    const recorder = new CheckpointRecorder({ repo, onChange: (c) => changes.push(c) });
    const tool = (name: string) => ({ name, readOnly: false }) as unknown as Tool;
    const call = { type: "tool_call" as const, id: `c${run}`, name: "bash", arguments: "{}" };
    bash.push(
      await time(() =>
        recorder.wrap({ call, tool: tool("bash"), args: {} }, async () => {
          writeFileSync(join(dir, "src", "d0", "f0.txt"), "changed");
          return { output: "" };
        }),
      ),
    );
    if (changes.length !== 1) throw new Error(`expected 1 recorded change, got ${changes.length}`);
    file.push(await time(() => repo.storeFile("src/d1/f100.txt")));
    status.push(await time(() => execFileSync("git", ["status", "--porcelain"], { cwd: dir })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const results = {
  files: FILES,
  runs: RUNS,
  firstSnapshotMs: median(first),
  bashCallMs: median(bash),
  fileStoreMs: median(file),
  gitStatusMs: median(status),
  bashOverGitStatus: median(bash) / median(status),
};
printTable([
  ["files", "first snapshot ms", "bash call ms", "file store ms", "git status ms", "bash/status"],
  [
    FILES,
    results.firstSnapshotMs.toFixed(0),
    results.bashCallMs.toFixed(0),
    results.fileStoreMs.toFixed(1),
    results.gitStatusMs.toFixed(0),
    results.bashOverGitStatus.toFixed(1),
  ],
]);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "checkpoints.json"), `${JSON.stringify(results, null, 2)}\n`);
