import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** Test runners a command quoted in a prompt may start with to be taken as the turn's check. */
const RUNNER =
  /^(?:node --test|npm (?:run )?test|pnpm (?:run )?test|yarn test|npx (?:vitest|jest)|python3? -m (?:unittest|pytest)|pytest|go test|cargo test|make test)\b/;

/**
 * What a quoted check may hold: one simple command, its words made of plain characters. No `;`, `&`, `|`, `$`,
 * backticks, redirections or brackets: the prompt can carry piped-in repository text, and a quoted
 * `npm test && curl …` there must not become owlet's own check (which accept_edits runs without asking).
 */
const PLAIN_COMMAND = /^[\w./:=@,+ -]+$/;

/** npm's placeholder test script (`npm init`): not a check. */
const NPM_PLACEHOLDER = /no test specified/;

/** Directories never looked into for test files. */
const SKIP_DIRS = new Set([
  "node_modules",
  ".git",
  ".venv",
  "venv",
  "__pycache__",
  "dist",
  "build",
  "target",
]);

/** Entries looked at, at most, when looking for test files (a larger workspace may go undetected). */
const MAX_ENTRIES = 2000;

/**
 * The command that runs a workspace's tests, for a prompt that is about failing tests, or undefined when none
 * is found. In order:
 * 1. a command the prompt quotes in backticks that starts with a known test runner (`node --test`,
 *    `python3 -m unittest`, `npm test`, `pytest`, `go test`, `cargo test`…) and is one plain command (no shell
 *    operators, substitutions or redirections);
 * 2. `npm test` when package.json has a test script (not npm's placeholder);
 * 3. `go test ./...` with go.mod, `cargo test` with Cargo.toml;
 * 4. `python3 -m pytest -q` with a pytest configuration (pytest.ini, conftest.py, `[tool.pytest` in
 *    pyproject.toml), else `python3 -m unittest` when a `test_*.py` or `*_test.py` file exists;
 * 5. `node --test` when a `*.test.{js,mjs,cjs}` file exists.
 * Reads at most 2,000 directory entries (node_modules, .git, virtualenvs and build output skipped); never
 * throws (an unreadable workspace has no check). The engine runs it for small local models before their first
 * round and after each change (see the engine's fix loop), as aider's `--test-cmd` does after each edit.
 */
export async function detectCheckCommand(workspaceRoot: string, prompt: string): Promise<string | undefined> {
  for (const m of prompt.matchAll(/`([^`\n]{3,120})`/g)) {
    const quoted = m[1]!.trim();
    if (RUNNER.test(quoted) && PLAIN_COMMAND.test(quoted)) return quoted;
  }
  const top = await entries(workspaceRoot);
  const names = new Set(top.map((e) => e.name));
  if (names.has("package.json")) {
    try {
      const pkg = JSON.parse(await readFile(join(workspaceRoot, "package.json"), "utf8")) as {
        scripts?: Record<string, unknown>;
      };
      const script = pkg.scripts?.test;
      if (typeof script === "string" && script.trim() !== "" && !NPM_PLACEHOLDER.test(script))
        return "npm test";
    } catch {
      // an unreadable or invalid package.json: look further
    }
  }
  if (names.has("go.mod")) return "go test ./...";
  if (names.has("Cargo.toml")) return "cargo test";
  const files = await listFiles(workspaceRoot);
  const base = (f: string) => f.slice(f.lastIndexOf("/") + 1);
  if (files.some((f) => /^test_.*\.py$|_test\.py$/.test(base(f)))) {
    if (names.has("pytest.ini") || names.has("conftest.py")) return "python3 -m pytest -q";
    if (names.has("pyproject.toml")) {
      const py = await readFile(join(workspaceRoot, "pyproject.toml"), "utf8").catch(() => "");
      if (py.includes("[tool.pytest")) return "python3 -m pytest -q";
    }
    // unittest discovers only packages: tests in a plain folder (tests/ without __init__.py) need `-s`.
    const dirs = new Set(
      files.filter((f) => /^test_.*\.py$|_test\.py$/.test(base(f))).map((f) => f.split("/")[0]!),
    );
    const [dir] = dirs;
    if (dirs.size === 1 && dir && !dir.endsWith(".py") && !files.includes(`${dir}/__init__.py`))
      return `python3 -m unittest discover -s ${dir}`;
    return "python3 -m unittest";
  }
  if (files.some((f) => /\.test\.[cm]?js$/.test(base(f)))) return "node --test";
  return undefined;
}

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Workspace-relative file paths, breadth first, at most MAX_ENTRIES entries looked at. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [""];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_ENTRIES) {
    const rel = queue.shift()!;
    for (const e of await entries(join(root, rel))) {
      if (++seen > MAX_ENTRIES) break;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) queue.push(path);
      } else if (e.isFile()) out.push(path);
    }
  }
  return out;
}
