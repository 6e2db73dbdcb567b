import { readFile, stat } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";

/** Characters of check output kept for the model, at most (head and tail of what is left after focusing). */
export const CHECK_OUTPUT_CHARS = 2400;
/** Stack frames annotated with their source line, at most. */
const MAX_ANNOTATED = 6;

/** Stack-frame lines that point into the runtime or dependencies, never into the user's code. */
const FOREIGN_FRAME =
  /^\s+at (?:.*\()?(?:node:|internal\/|.*\/node_modules\/)|^\s+at (?:async )?(?:Promise\.|new Promise)|^\s+(?:generatedMessage|code|operator|diff): /;
/** Python traceback frame: `  File "path", line N, in name`. */
const PY_FRAME = /^\s*File "([^"]+)", line (\d+)/;
/** `path.ext:line[:col]` in a JS stack frame or a test location. */
const JS_LOCATION = /(?:^|[\s(])((?:\.{0,2}\/)?[\w.@/-]+\.(?:[cm]?[jt]sx?|py)):(\d+)(?::\d+)?/;

/**
 * A test run's output reduced to what a small model needs to fix it: workspace paths made relative, frames in
 * the runtime and dependencies dropped, the failure section kept (node's `✖ failing tests:`, unittest's
 * `=====` blocks, pytest's `FAILURES`, TAP `not ok` blocks) with the pass/fail counts, each frame in the
 * workspace followed by its source line (`> assert.equal(range([3, 9]), 6);`, at most six), then head and tail
 * within `maxChars` (default {@link CHECK_OUTPUT_CHARS}) characters. Output it does not recognise is only
 * trimmed. Never throws (unreadable source lines are not shown).
 */
export async function summariseCheckOutput(
  output: string,
  workspaceRoot: string,
  maxChars = CHECK_OUTPUT_CHARS,
): Promise<string> {
  const root = workspaceRoot.replace(/\/+$/, "");
  const relative = output.split(`file://${root}/`).join("").split(`${root}/`).join("");
  const lines: string[] = [];
  const all = relative.split("\n");
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (FOREIGN_FRAME.test(line)) continue;
    const py = PY_FRAME.exec(line);
    if (py && py[1]!.startsWith("/")) {
      i++; // a frame outside the workspace and its code line
      continue;
    }
    lines.push(line);
  }
  const focused = focus(lines);
  const annotated: string[] = [];
  let budget = MAX_ANNOTATED;
  for (let i = 0; i < focused.length; i++) {
    const line = focused[i]!;
    annotated.push(line);
    if (budget === 0) continue;
    const py = PY_FRAME.exec(line);
    if (py) {
      budget--; // python already prints the line
      continue;
    }
    const js = JS_LOCATION.exec(line);
    if (!js) continue;
    const source = await sourceLine(root, js[1]!, Number(js[2]));
    if (source && !(focused[i + 1] ?? "").includes(source)) {
      annotated.push(`${line.match(/^\s*/)![0]}  > ${source}`);
      budget--;
    }
  }
  return clip(
    annotated
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
    maxChars,
  );
}

/** The failure section of a test run's lines (plus its counts), or the lines as they are. */
function focus(lines: string[]): string[] {
  const counts = lines.filter(
    (l) => /^\s*[ℹ#] (?:tests|pass|fail) \d+/.test(l) || /^(?:FAILED|OK)\b|^Ran \d+ tests?/.test(l),
  );
  const start =
    lines.findIndex((l) => /✖ failing tests:/.test(l)) >= 0
      ? lines.findIndex((l) => /✖ failing tests:/.test(l))
      : lines.findIndex((l) => /^={5,}$|^={3,} FAILURES ={3,}$/.test(l));
  if (start >= 0) {
    const section = lines.slice(start);
    return [...section, ...counts.filter((c) => !section.includes(c))];
  }
  const tap = lines.findIndex((l) => /^\s*not ok \d+/.test(l));
  if (tap >= 0) return lines.slice(tap);
  return lines;
}

/** The trimmed source line `line` (1-based) of a workspace file, or undefined. */
async function sourceLine(root: string, path: string, line: number): Promise<string | undefined> {
  const full = normalize(join(root, path));
  if (!full.startsWith(`${root}/`)) return undefined;
  try {
    const text = await readFile(full, "utf8");
    return text.split("\n")[line - 1]?.trim().slice(0, 160) || undefined;
  } catch {
    return undefined;
  }
}

/** Head and tail of `text` within `maxChars`, with a marker of what was left out. */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars * 0.6);
  const tail = maxChars - head;
  return `${text.slice(0, head)}\n… ${text.length - maxChars} characters omitted …\n${text.slice(-tail)}`;
}

/** Whether a workspace-relative path names a test file (`x.test.js`, `test.js`, `test_x.py`, `x_test.go`, `tests/…`). */
export function isTestFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return (
    /\.(?:test|spec)\.[cm]?[jt]sx?$|^tests?\.(?:[cm]?[jt]sx?|py)$|^test_.*\.py$|_test\.(?:py|go)$/.test(
      base,
    ) || /(?:^|\/)tests?\//.test(path)
  );
}

/** Files implicated by a failing check, workspace-relative. */
export interface ImplicatedFiles {
  /** Code under test: files the failing tests import (and those files' own local imports), stack-frame files. */
  sources: string[];
  /** Test files named in the output. */
  tests: string[];
}

/** Import levels followed from a failing test into the code under test (test → a → b → c). */
export const IMPORT_DEPTH = 3;

/**
 * The workspace files a summarised check output points at: test files named in it, and the code they import
 * (relative JS imports and requires, Python `from x import` / `import x` of modules in the workspace), followed
 * breadth-first up to {@link IMPORT_DEPTH} levels (the bug may sit in a helper two files away from what the test
 * calls: issue 8's T3 suite), and non-test files in stack frames. Nearest first (the test's own imports, then
 * theirs), each once. Never throws.
 */
export async function implicatedFiles(summary: string, workspaceRoot: string): Promise<ImplicatedFiles> {
  const named: string[] = [];
  for (const m of summary.matchAll(/(?:^|[\s("'])((?:\.\/)?[\w.@/-]+\.(?:[cm]?[jt]sx?|py))\b/gm)) {
    const path = m[1]!.replace(/^\.\//, "");
    if (!named.includes(path) && (await isFile(join(workspaceRoot, path)))) named.push(path);
  }
  const tests = named.filter(isTestFile);
  // Breadth-first over what the tests import; a module that only re-exports (an index.js barrel) is followed but
  // not listed: it holds no code to fix.
  const seen: string[] = [];
  const sources: string[] = [];
  const visit = async (p: string): Promise<boolean> => {
    if (isTestFile(p) || seen.includes(p)) return false;
    seen.push(p);
    if (!(await reexportsOnly(p, workspaceRoot))) sources.push(p);
    return true;
  };
  let level: string[] = [];
  for (const test of tests)
    for (const p of await localImports(test, workspaceRoot)) if (await visit(p)) level.push(p);
  for (const p of named) if (await visit(p)) level.push(p);
  for (let depth = 1; depth < IMPORT_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const src of level)
      for (const p of await localImports(src, workspaceRoot)) if (await visit(p)) next.push(p);
    level = next;
  }
  return { sources, tests };
}

/** Whether a JS module only re-exports others (every statement an `export … from` or an import). */
async function reexportsOnly(file: string, root: string): Promise<boolean> {
  if (file.endsWith(".py")) return false;
  const text = await readFile(join(root, file), "utf8").catch(() => "");
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .trim();
  if (code === "") return false;
  return code
    .split(/;\s*|\n(?=\s*(?:export|import)\b)/)
    .map((st) => st.trim())
    .filter((st) => st !== "")
    .every((st) => /^export\s+(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+["'][^"']+["']$|^import\s/.test(st));
}

/** Workspace files that `file` imports by a relative path (JS) or a module name (Python). */
async function localImports(file: string, root: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(root, file), "utf8");
  } catch {
    return [];
  }
  const dir = dirname(file);
  const candidates: string[] = [];
  if (file.endsWith(".py")) {
    for (const m of text.matchAll(/^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))/gm)) {
      const mod = (m[1] ?? m[2]!).replace(/^\.+/, "").replace(/\./g, "/");
      if (mod) candidates.push(normalize(join(dir, `${mod}.py`)), `${mod}.py`);
    }
  } else {
    for (const m of text.matchAll(/(?:from\s+|import\s+|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const spec = normalize(join(dir, m[1]!));
      candidates.push(spec, `${spec}.js`, `${spec}.ts`, `${spec}/index.js`);
    }
  }
  const out: string[] = [];
  for (const c of candidates) {
    if (c.startsWith("..") || out.includes(c)) continue;
    if (await isFile(join(root, c))) out.push(c);
  }
  return out;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The names a summarised check output shows being called where tests failed, in order, each once: calls in the
 * failing source lines (`> assert.equal(progress(3, 12), 25);` → `assert.equal`, `progress`; Python's code
 * lines under `File "…"`) and the functions of stack frames (`at loadConfig (config.js:13:28)`). The fix loop
 * names those the code under test defines, so a small model looks at the function that failed rather than the
 * first one in the file.
 */
export function calledNames(summary: string): string[] {
  const out: string[] = [];
  const add = (name: string) => {
    if (!out.includes(name)) out.push(name);
  };
  const lines = summary.split("\n");
  for (const [i, line] of lines.entries()) {
    const frame = /^\s+at (?:async )?(?:[\w$]+\.)?([\w$]+) \(/.exec(line);
    if (frame && frame[1] !== "<anonymous>") add(frame[1]!);
    const code = /^\s*> (.*)$/.exec(line)?.[1] ?? (PY_FRAME.test(lines[i - 1] ?? "") ? line : undefined);
    if (code) for (const m of code.matchAll(/([\w$]+)\s*\(/g)) add(m[1]!);
  }
  return out;
}

/** pytest's closing summary line (`==== 1 failed, 2 passed in 0.12s ====`), its counts in group 1. */
const PYTEST_SUMMARY = /^=+ (.*\b(?:passed|failed|errors?)\b.*) in [\d.]+s(?: \([^)]*\))? =+\s*$/m;

/**
 * How many tests a check's output reports failing (failures and errors), or undefined when it reports no count:
 * node's `ℹ fail N` (and TAP's `# fail N`), unittest's `FAILED (failures=N, errors=M)` / `OK`, pytest's
 * `N failed, M error(s)` / `N passed`, jest and vitest's `Tests: N failed`. The fix loop keeps a patch that
 * lowers it and undoes one that does not.
 */
export function failingCount(output: string): number | undefined {
  const node = /^\s*[ℹ#] fail (\d+)\s*$/m.exec(output);
  if (node) return Number(node[1]);
  const unittest = /^FAILED \(([^)]*)\)\s*$/m.exec(output);
  if (unittest) {
    let n = 0;
    for (const m of unittest[1]!.matchAll(/\b(?:failures|errors|unexpected successes)=(\d+)/g))
      n += Number(m[1]);
    return n;
  }
  if (/^Ran \d+ tests? in [\d.]+s\s*\n+OK\b/m.test(output)) return 0;
  const pytest = PYTEST_SUMMARY.exec(output);
  if (pytest) {
    let n = 0;
    for (const m of pytest[1]!.matchAll(/(\d+) (?:failed|errors?)\b/g)) n += Number(m[1]);
    return n;
  }
  const jest = /^\s*Tests:?\s+(?:(\d+) failed|.*?\b(\d+) passed)/m.exec(output);
  if (jest) return Number(jest[1] ?? 0);
  return undefined;
}

/**
 * How many tests a check's output reports passing, or undefined when it reports no count: node's `ℹ pass N`
 * (TAP's `# pass N`), unittest's `Ran N tests` less its failures and errors, pytest's `N passed` (0 when its
 * summary line has none), jest and vitest's `Tests: … N passed`. With failingCount it tells a patch that fixed a
 * test from one that broke the test file's loading (node then reports the whole file as one failing test, fewer
 * than before: issue 8's eval, Qwen2.5-Coder-1.5B on t1-js-wrong-constant).
 */
export function passingCount(output: string): number | undefined {
  const node = /^\s*[ℹ#] pass (\d+)\s*$/m.exec(output);
  if (node) return Number(node[1]);
  const ran = /^Ran (\d+) tests? in [\d.]+s\s*$/m.exec(output);
  if (ran) return Math.max(0, Number(ran[1]) - (failingCount(output) ?? 0));
  const pytest = PYTEST_SUMMARY.exec(output);
  if (pytest) return Number(/(\d+) passed/.exec(pytest[1]!)?.[1] ?? 0);
  const jest = /^\s*Tests:?\s+.*?\b(\d+) passed/m.exec(output);
  if (jest) return Number(jest[1]);
  return undefined;
}

/** Names of the failing tests in a check's output: node's `✖ name (…ms)`, unittest's `FAIL: test_x (…)`, pytest's `FAILED a.py::T::test_x`. */
export function failingTestNames(summary: string): string[] {
  const out = new Set<string>();
  for (const m of summary.matchAll(/^\s*✖ (.+?) \([\d.]+m?s\)\s*$/gm)) out.add(m[1]!);
  for (const m of summary.matchAll(/^(?:FAIL|ERROR): (\w+) \(/gm)) out.add(m[1]!);
  for (const m of summary.matchAll(/^FAILED \S+::(\w+)/gm)) out.add(m[1]!);
  return [...out];
}

/** One test of a test file: its name and the names it calls. */
interface TestBlock {
  name: string;
  calls: Set<string>;
}

/** The tests of a test file: `test("name", …)` / `it("name", …)` blocks, or Python `def test_x(` methods. */
function testBlocks(text: string, python: boolean): TestBlock[] {
  const starts = python
    ? [...text.matchAll(/^\s*def (test\w*)\s*\(/gm)]
    : [...text.matchAll(/\b(?:test|it)\s*\(\s*(["'`])((?:\\.|(?!\1).)*)\1/g)];
  return starts.map((m, i) => {
    const body = text.slice(m.index!, starts[i + 1]?.index ?? text.length);
    const calls = new Set([...body.matchAll(/([\w$]+)\s*\(/g)].map((c) => c[1]!));
    return { name: python ? m[1]! : m[2]!, calls };
  });
}

/**
 * The functions of the code under test (`defined`: name → file) most likely to hold the bug, best first:
 * ranked by the Ochiai score over the tests of `testFiles` (how much more often the failing tests call a
 * function than the passing ones: failed(f) / √(failed · (failed(f) + passed(f)))), as spectrum-based fault
 * localisation does at function level; functions no failing test calls are left out. When the output names no
 * test a test file defines, the order is that of calledNames. Reads the test files from `workspaceRoot`;
 * never throws.
 */
export async function rankSuspects(
  summary: string,
  testFiles: readonly string[],
  defined: ReadonlyMap<string, string>,
  workspaceRoot: string,
): Promise<Map<string, string>> {
  const byOutput = calledNames(summary).filter((n) => defined.has(n));
  const failing = new Set(failingTestNames(summary));
  const blocks: TestBlock[] = [];
  for (const file of testFiles) {
    const text = await readFile(join(workspaceRoot, file), "utf8").catch(() => "");
    blocks.push(...testBlocks(text, file.endsWith(".py")));
  }
  const failed = blocks.filter((b) => failing.has(b.name));
  let names = byOutput;
  if (failed.length > 0) {
    const passed = blocks.filter((b) => !failing.has(b.name));
    const score = (n: string) => {
      const ef = failed.filter((b) => b.calls.has(n)).length;
      const ep = passed.filter((b) => b.calls.has(n)).length;
      return ef === 0 ? 0 : ef / Math.sqrt(failed.length * (ef + ep));
    };
    const order = (n: string) => (byOutput.includes(n) ? byOutput.indexOf(n) : byOutput.length);
    names = [...defined.keys()]
      .filter((n) => score(n) > 0)
      .sort((a, b) => score(b) - score(a) || order(a) - order(b));
  }
  return new Map(names.map((n) => [n, defined.get(n)!]));
}
