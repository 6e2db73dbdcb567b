import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySolution, loadTasks, materialise, sharedDataDir, type Task } from "../../eval/materialise.ts";

/**
 * The eval task suite (eval/tasks): every task.json is valid, and every task is a real task — its check fails
 * on the materialised repository and passes once the reference solution is applied. The checks run up front
 * in a small pool (the machine may have 2 cores); each task's verdict is then its own test.
 */

const run = promisify(execFile);
/** Polyglot (`from`) tasks need the shared data; on a machine without it they are skipped, not failed. */
const hasSharedData = (() => {
  try {
    return existsSync(join(sharedDataDir(), "polyglot-js"));
  } catch {
    return false;
  }
})();
const allTasks = loadTasks();
const tasks = allTasks.filter((t) => t.from === undefined || hasSharedData);
const POOL = 3;

/** Relative paths of the files under `dir` (no .git). */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !relative(dir, e.parentPath).split("/").includes(".git"))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

interface Outcome {
  dir: string;
  before: { code: number; output: string };
  after: { code: number; output: string };
  gitStatus: string;
  commits: number;
  runFiles: string[];
  /** Run-dir files whose content is the exercise's reference solution (`from` tasks). */
  leaked: string[];
}

/** The environment of a check: this process's, without what vitest sets for its own workers. */
const checkEnv = Object.fromEntries(
  Object.entries({ ...process.env, PYTHONDONTWRITEBYTECODE: "1", NODE_OPTIONS: "" }).filter(
    ([key]) => !key.startsWith("VITEST") && key !== "NODE_ENV" && key !== "TEST",
  ),
);

async function runCheck(check: string[], cwd: string, timeoutSec: number) {
  try {
    const { stdout, stderr } = await run(check[0]!, check.slice(1), {
      cwd,
      timeout: timeoutSec * 1000,
      env: checkEnv,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

const root = mkdtempSync(join(tmpdir(), "owlet-eval-tasks-"));
const outcomes = new Map<string, Outcome | Error>();

async function evaluate(task: Task): Promise<Outcome> {
  const { dir, check } = materialise(task, join(root, task.id));
  const gitStatus = (await run("git", ["status", "--porcelain"], { cwd: dir })).stdout;
  const commits = Number((await run("git", ["rev-list", "--count", "HEAD"], { cwd: dir })).stdout.trim());
  const runFiles = files(dir);
  let leaked: string[] = [];
  if (task.from !== undefined) {
    const proof = readFileSync(join(sharedDataDir(), task.from, ".meta", "proof.ci.js"), "utf8");
    leaked = runFiles.filter((f) => readFileSync(join(dir, f), "utf8") === proof);
  }
  const before = await runCheck(check, dir, task.timeoutSec);
  applySolution(task, dir);
  const after = await runCheck(check, dir, task.timeoutSec);
  return { dir, before, after, gitStatus, commits, runFiles, leaked };
}

beforeAll(async () => {
  // The polyglot checks (vitest) are the slow ones: start them first.
  const queue = [...tasks].sort((a, b) => Number(b.from !== undefined) - Number(a.from !== undefined));
  const worker = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      outcomes.set(task.id, await evaluate(task).catch((err: Error) => err));
    }
  };
  await Promise.all(Array.from({ length: POOL }, worker));
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("eval task files", () => {
  it("ids are unique", () => {
    const ids = allTasks.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("each suite has enough tasks, in both languages", () => {
    const count = (suite: string, language?: string) =>
      allTasks.filter((t) => t.suite === suite && (language === undefined || t.language === language)).length;
    expect(count("T1")).toBeGreaterThanOrEqual(20);
    expect(count("T1", "js")).toBeGreaterThanOrEqual(10);
    expect(count("T1", "py")).toBeGreaterThanOrEqual(10);
    expect(count("T2")).toBeGreaterThanOrEqual(10);
    expect(allTasks.filter((t) => t.from !== undefined).length).toBeGreaterThanOrEqual(8);
    expect(count("T3")).toBeGreaterThanOrEqual(10);
    expect(count("T3", "js")).toBeGreaterThanOrEqual(4);
    expect(count("T3", "py")).toBeGreaterThanOrEqual(4);
  });

  it("a bad task.json is reported with its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "owlet-eval-bad-"));
    try {
      const file = join(dir, "t1-js-bad", "task.json");
      mkdirSync(join(dir, "t1-js-bad"));
      writeFileSync(file, JSON.stringify({ id: "t1-js-bad", suite: "T4", language: "js" }));
      expect(() => loadTasks(dir)).toThrow(file);
      expect(() => loadTasks(dir)).toThrow(/suite/);
      writeFileSync(file, "{ not json");
      expect(() => loadTasks(dir)).toThrow(/not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const task of tasks.filter((t) => t.from === undefined)) {
    it(`${task.id}: solution files replace files of repo/, and the bug is one line`, () => {
      const repo = join(task.taskDir, "repo");
      const solution = files(join(task.taskDir, "solution"));
      expect(solution.length).toBeGreaterThan(0);
      for (const file of solution) expect(existsSync(join(repo, file)), file).toBe(true);
      if (task.suite === "T2") return;
      expect(solution).toHaveLength(1);
      const fixed = readFileSync(join(task.taskDir, "solution", solution[0]!), "utf8").split("\n");
      const buggy = readFileSync(join(repo, solution[0]!), "utf8").split("\n");
      let start = 0;
      while (start < fixed.length && fixed[start] === buggy[start]) start++;
      let end = 0;
      while (end < fixed.length - start && fixed.at(-1 - end) === buggy.at(-1 - end)) end++;
      expect(start).toBeLessThan(Math.max(fixed.length, buggy.length));
      expect(fixed.length - start - end).toBeLessThanOrEqual(1);
      expect(buggy.length - start - end).toBeLessThanOrEqual(1);
    });
  }

  for (const task of tasks.filter((t) => t.suite === "T3")) {
    it(`${task.id}: the prompt names neither the buggy file nor its functions`, () => {
      const [file] = files(join(task.taskDir, "solution"));
      expect(file).not.toMatch(/(^|\/)test|\.test\.|_test\./);
      const source = readFileSync(join(task.taskDir, "solution", file!), "utf8");
      const names = [...source.matchAll(/(?:function|def|class)\s+(\w+)/g)].map((m) => m[1]!);
      const stem = basename(file!).replace(/\.\w+$/, "");
      for (const name of [stem, ...names]) {
        expect(task.prompt.toLowerCase(), name).not.toMatch(new RegExp(`\\b${name.toLowerCase()}\\b`));
      }
    });
  }
});

describe("eval tasks fail as given and pass with their solution", () => {
  it.skipIf(hasSharedData)("polyglot tasks skipped: no shared data (set OWLET_SHARED_DATA)", () => {});

  for (const task of tasks) {
    it(task.id, () => {
      const outcome = outcomes.get(task.id);
      if (outcome instanceof Error) throw outcome;
      expect(outcome).toBeDefined();
      const { before, after, gitStatus, commits, runFiles, leaked } = outcome!;
      expect(gitStatus, "the run dir is a clean git repository").toBe("");
      expect(commits).toBe(1);
      expect(before.code, `check passed before the fix:\n${before.output}`).not.toBe(0);
      expect(after.code, `check failed with the solution:\n${after.output}`).toBe(0);
      if (task.from !== undefined) {
        expect(runFiles.some((f) => f.split("/").includes(".meta"))).toBe(false);
        expect(runFiles).toContain(".docs/instructions.md");
        expect(runFiles).toContain("package.json");
        expect(leaked, "run-dir files holding the reference solution").toEqual([]);
      }
    });
  }
});
