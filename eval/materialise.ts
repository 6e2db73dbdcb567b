/**
 * The real-model eval task suite: loading `eval/tasks/<id>/task.json`, building a run dir for a task (a fresh
 * git repository the model works in) and, for tests only, applying the reference solution.
 *
 * Layout (see eval/README.md):
 *   eval/tasks/<id>/task.json
 *   eval/tasks/<id>/repo/**       the starting repository
 *   eval/tasks/<id>/solution/**   reference files: copied over repo/, they make the check pass (never in a
 *                                 run dir)
 * Polyglot tasks (`"from": "polyglot-js/<exercise>"`) have neither folder: their files come from the shared
 * data (`OWLET_SHARED_DATA`, default `<repo root>/../shared/data`), whose `.meta/` is never copied.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** owlet's repository root (the folder above eval/). */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The default folder of task folders: `<repo root>/eval/tasks`. */
export const TASKS_DIR = join(REPO_ROOT, "eval", "tasks");

/** The check runner of polyglot tasks (vitest with jest's globals); lives here, never in a run dir. */
export const JEST_COMPAT_RUNNER = join(REPO_ROOT, "eval", "jest-compat", "run-spec.ts");

/** Folders a local test run leaves in a task's repo/ or solution/; never copied into a run dir. */
const LOCAL_DEBRIS = new Set(["__pycache__", "node_modules", ".pytest_cache"]);

/** The schema of task.json. `check` is required except for `from` tasks, whose check materialise() gives. */
export const TaskFileSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^t[123]-[a-z0-9]+(-[a-z0-9]+)*$/, "lower-case words joined by '-', starting t1-/t2-/t3-"),
    suite: z.enum(["T1", "T2", "T3"]),
    language: z.enum(["js", "py"]),
    bug: z.string().min(1),
    prompt: z.string().min(1),
    check: z.array(z.string().min(1)).min(1).optional(),
    timeoutSec: z.number().int().positive(),
    from: z
      .string()
      .regex(/^polyglot-js\/[a-z0-9-]+$/, "polyglot-js/<exercise>")
      .optional(),
  })
  .superRefine((task, ctx) => {
    if (task.from === undefined && task.check === undefined) {
      ctx.addIssue({ code: "custom", path: ["check"], message: "required (only `from` tasks may omit it)" });
    }
    if (task.from !== undefined && (task.suite !== "T2" || task.language !== "js")) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "`from` tasks are T2 JavaScript tasks" });
    }
    if (!task.id.startsWith(`${task.suite.toLowerCase()}-`)) {
      ctx.addIssue({
        code: "custom",
        path: ["id"],
        message: `must start with "${task.suite.toLowerCase()}-"`,
      });
    }
  });

/** One task as loaded: task.json plus `taskDir`, the absolute path of its folder. */
export type Task = z.infer<typeof TaskFileSchema> & { taskDir: string };

/** A built run dir: `dir` (absolute) and `check`, the argv to run there (no shell); exit 0 = solved. */
export interface Materialised {
  dir: string;
  check: string[];
}

export interface MaterialiseOptions {
  /** Folder holding `polyglot-js/`; default `OWLET_SHARED_DATA`, else `<repo root>/../shared/data`. */
  sharedData?: string;
}

/**
 * Loads and validates every task under `dir` (default eval/tasks): one sub-folder per task, holding
 * task.json. Returns the tasks sorted by id. Throws an Error naming the offending file when a task.json is
 * missing, is not JSON, fails the schema or has an id other than its folder's name, or when a task without
 * `from` lacks repo/ or solution/ (or a `from` task has them).
 */
export function loadTasks(dir: string = TASKS_DIR): Task[] {
  const tasks: Task[] = [];
  for (const name of readdirSync(dir).sort()) {
    const taskDir = resolve(dir, name);
    if (!statSync(taskDir).isDirectory()) continue;
    const file = join(taskDir, "task.json");
    if (!existsSync(file)) throw new Error(`${file}: missing`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    const parsed = TaskFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new Error(`${file}: invalid task: ${issues.join("; ")}`);
    }
    const task = parsed.data;
    if (task.id !== name) throw new Error(`${file}: id "${task.id}" does not match its folder "${name}"`);
    const hasRepo = existsSync(join(taskDir, "repo"));
    const hasSolution = existsSync(join(taskDir, "solution"));
    if (task.from === undefined && !(hasRepo && hasSolution)) {
      throw new Error(`${file}: a task without "from" needs repo/ and solution/ beside task.json`);
    }
    if (task.from !== undefined && (hasRepo || hasSolution)) {
      throw new Error(`${file}: a "from" task has no repo/ or solution/ folder`);
    }
    tasks.push({ ...task, taskDir });
  }
  return tasks;
}

/**
 * Builds the run dir of `task` at `destDir` (created; it must not exist or be empty): copies repo/ (without
 * `__pycache__`/`node_modules` left by a local test run) — or, for a `from` task, the exercise's stub, spec,
 * `.docs/instructions*.md`, LICENSE and a package.json whose `test` script is the check (never `.meta/`,
 * which holds the reference solution) — makes every file writable, then `git init` + `git add -A` + one
 * commit with a fixed author and date, so the model sees a clean repository.
 * Returns the absolute dir and the check argv to run there. Throws when destDir is not empty, the exercise is
 * missing, or git fails.
 */
export function materialise(task: Task, destDir: string, opts: MaterialiseOptions = {}): Materialised {
  const dir = resolve(destDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir}: run dir is not empty`);
  mkdirSync(dir, { recursive: true });
  let check: string[];
  if (task.from === undefined) {
    cpSync(join(task.taskDir, "repo"), dir, {
      recursive: true,
      filter: (src) => !LOCAL_DEBRIS.has(basename(src)),
    });
    check = [...task.check!];
  } else {
    check = [process.execPath, JEST_COMPAT_RUNNER];
    copyExercise(exerciseDir(task, opts), dir, check);
  }
  makeWritable(dir);
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--no-verify", "-m", "Initial commit"]);
  return { dir, check };
}

/**
 * Tests only: puts the reference solution into a run dir built by materialise() — solution/ copied over
 * it, or for a `from` task the exercise's `.meta/proof.ci.js` copied over the stub. Throws when a file is
 * missing.
 */
export function applySolution(task: Task, dir: string, opts: MaterialiseOptions = {}): void {
  if (task.from === undefined) {
    cpSync(join(task.taskDir, "solution"), dir, {
      recursive: true,
      force: true,
      filter: (src) => !LOCAL_DEBRIS.has(basename(src)),
    });
    return;
  }
  const source = exerciseDir(task, opts);
  const files = exerciseFiles(source);
  cpSync(join(source, files.example), join(dir, files.solution));
  chmodSync(join(dir, files.solution), 0o644);
}

/**
 * The files a task's reference solution changes (paths relative to the run dir): solution/'s files, or for a
 * `from` task the exercise's stub. Everything else in the run dir (the tests above all) is the task's fixed
 * part, which the eval restores before running the check.
 */
export function editableFiles(task: Task, opts: MaterialiseOptions = {}): string[] {
  if (task.from !== undefined) return [exerciseFiles(exerciseDir(task, opts)).solution];
  const root = join(task.taskDir, "solution");
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk("");
  return out;
}

/**
 * The folder holding the shared data sets: `opts.sharedData`, `OWLET_SHARED_DATA`,
 * `<repo root>/../shared/data`, or — in a git worktree of owlet — `<main checkout>/../shared/data`. Throws
 * when none exists.
 */
export function sharedDataDir(opts: MaterialiseOptions = {}): string {
  const explicit = opts.sharedData ?? process.env.OWLET_SHARED_DATA;
  if (explicit) return resolve(explicit);
  defaultSharedData ??= findSharedData();
  return defaultSharedData;
}

let defaultSharedData: string | undefined;

function findSharedData(): string {
  const candidates = [resolve(REPO_ROOT, "..", "shared", "data")];
  try {
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    candidates.push(resolve(dirname(common), "..", "shared", "data"));
  } catch {
    // not a git checkout: only the first candidate applies
  }
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) {
    throw new Error(`shared data not found (set OWLET_SHARED_DATA); looked in ${candidates.join(", ")}`);
  }
  return found;
}

/** The exercise folder of a `from` task, e.g. `<shared data>/polyglot-js/space-age`. */
function exerciseDir(task: Task, opts: MaterialiseOptions): string {
  const dir = join(sharedDataDir(opts), task.from!);
  if (!existsSync(join(dir, ".meta", "config.json")))
    throw new Error(`${task.id}: exercise not found at ${dir}`);
  return dir;
}

/** The stub, spec and reference-solution paths of an exercise, from its `.meta/config.json`. */
function exerciseFiles(source: string): { solution: string; test: string; example: string } {
  const config = JSON.parse(readFileSync(join(source, ".meta", "config.json"), "utf8")) as {
    files: { solution: string[]; test: string[]; example: string[] };
  };
  const [solution, test, example] = [config.files.solution[0], config.files.test[0], config.files.example[0]];
  if (!solution || !test || !example) throw new Error(`${source}/.meta/config.json: files incomplete`);
  return { solution, test, example };
}

function copyExercise(source: string, dir: string, check: string[]): void {
  const files = exerciseFiles(source);
  const copied = [
    files.solution,
    files.test,
    ".docs/instructions.md",
    ".docs/instructions.append.md",
    "LICENSE",
  ];
  for (const rel of copied) {
    if (!existsSync(join(source, rel))) continue;
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    cpSync(join(source, rel), join(dir, rel));
  }
  // The exercise's package.json runs jest through babel, neither of which is installed in a run dir: keep its
  // metadata, drop the dependencies, and make `npm test` run the task's check.
  const pkg = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as Record<string, unknown>;
  delete pkg.devDependencies;
  delete pkg.dependencies;
  pkg.type = "module";
  pkg.scripts = { test: check.map(shellQuote).join(" ") };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The shared data is read-only; a run dir's files must not be. */
function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
}

/** Runs git in `dir` with a fixed identity and date and without the user's or system's config. */
function git(dir: string, args: string[]): void {
  const date = "2024-01-01T00:00:00Z";
  execFileSync("git", args, {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "owlet eval",
      GIT_AUTHOR_EMAIL: "eval@owlet.invalid",
      GIT_COMMITTER_NAME: "owlet eval",
      GIT_COMMITTER_EMAIL: "eval@owlet.invalid",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
}
