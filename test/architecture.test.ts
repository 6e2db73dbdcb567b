import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layering contract of ARCHITECTURE.md, checked on the sources, with the rules read from ARCHITECTURE.md
 * itself: the order of the layers from its diagram (a layer imports only from layers at or below its own rank),
 * and each layer's "must not import" cell from its table.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SRC = join(ROOT, "src");
const ARCHITECTURE = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");

/** Rank per layer, from the diagram line `message ← stream ← … ← cli` (`a/b`: two layers of one rank). */
function ranksFromDiagram(doc: string): Record<string, number> {
  const line = doc.split("\n").find((l) => /^message ← /.test(l));
  if (!line) throw new Error("ARCHITECTURE.md has no layer diagram line starting `message ← `");
  const rank: Record<string, number> = {};
  line.split("←").forEach((step, i) => {
    for (const layer of step.trim().split("/")) rank[layer.trim()] = i;
  });
  return rank;
}

/** What a layer may not import: patterns, and the patterns excepted from them. */
interface ImportRule {
  forbidden: string[];
  allowed: string[];
}

/**
 * The "must not import" cell of every row of the layer table: backticked patterns; those after the word
 * "except" (up to a `;`) are exceptions. "—" is no rule.
 */
function rulesFromTable(doc: string): Record<string, ImportRule> {
  const rows = doc.split("\n").filter((l) => l.startsWith("|"));
  const header = rows.find((l) => /\| layer \|/.test(l));
  if (!header) throw new Error("ARCHITECTURE.md has no layer table");
  const column = cellsOf(header).indexOf("must not import");
  if (column < 0) throw new Error('the layer table has no "must not import" column');
  const rules: Record<string, ImportRule> = {};
  for (const row of rows.slice(rows.indexOf(header) + 2)) {
    const cells = cellsOf(row);
    const rule: ImportRule = { forbidden: [], allowed: [] };
    for (const part of (cells[column] ?? "").split(";")) {
      const [forbidden = "", allowed = ""] = part.split(/\bexcept\b/);
      rule.forbidden.push(...ticked(forbidden));
      rule.allowed.push(...ticked(allowed));
    }
    rules[cells[0]!] = rule;
  }
  return rules;
}

const cellsOf = (row: string) =>
  row
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim());
const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

const RANK = ranksFromDiagram(ARCHITECTURE);
const RULES = rulesFromTable(ARCHITECTURE);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // Test-only helpers beside the code (*.test.ts(x), *.test-support.ts, test-helpers.ts) are not part of a layer.
    const testOnly = /\.test(-support)?\.tsx?$|\/test-helpers\.ts$/.test(path);
    return /\.tsx?$/.test(path) && !testOnly ? [path] : [];
  });
}

const layerOf = (file: string) => relative(SRC, file).split("/")[0]!;

/** One import of a source file: the module as the rules name it (`provider/types.ts`, `node:fs`, `zod`). */
interface Import {
  /** Path under src/ for a relative import; the specifier as written otherwise. */
  module: string;
  /** Whether it resolves into src/. */
  internal: boolean;
}

/** Every static, dynamic and re-export import of `file`. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const out: Import[] = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([^"]+)"/g)) {
    const spec = m[1]!;
    if (!spec.startsWith(".")) {
      out.push({ module: spec, internal: false });
      continue;
    }
    const target = resolve(dirname(file), spec);
    if (target.startsWith(`${SRC}/`)) out.push({ module: relative(SRC, target), internal: true });
  }
  return out;
}

/**
 * Whether `pattern` names `imp`, imported by layer `from` (see ARCHITECTURE.md): `*` anything outside `from`'s
 * folder; `x/` (under src/) and `x/y.ts` src modules; anything else a Node built-in or package, subpaths included.
 */
function matches(pattern: string, imp: Import, from: string): boolean {
  if (pattern === "*") return !(imp.internal && imp.module.startsWith(`${from}/`));
  const internal = pattern.endsWith("/") || pattern.endsWith(".ts");
  if (internal !== imp.internal) return false;
  if (pattern.endsWith("/")) return imp.module.startsWith(pattern);
  return imp.module === pattern || (!internal && imp.module.startsWith(`${pattern}/`));
}

describe("architecture", () => {
  it("reads a rank and a rule for every layer from ARCHITECTURE.md, and every layer folder has both", () => {
    const layers = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    for (const l of layers) {
      expect(RANK, `src/${l} needs a place in ARCHITECTURE.md's diagram`).toHaveProperty(l);
      expect(RULES, `src/${l} needs a row in ARCHITECTURE.md's table`).toHaveProperty(l);
    }
    expect(Object.keys(RANK).sort()).toEqual(Object.keys(RULES).sort());
  });

  it("no layer imports from a layer above it", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      for (const imp of importsOf(file)) {
        if (!imp.internal) continue;
        const to = imp.module.split("/")[0]!;
        if (RANK[to]! > RANK[from]!)
          violations.push(`${relative(SRC, file)} imports ${imp.module} (${from} → ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("no layer imports what its 'must not import' cell forbids", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      const rule = RULES[from]!;
      for (const imp of importsOf(file)) {
        const hit = rule.forbidden.find((p) => matches(p, imp, from));
        if (hit && !rule.allowed.some((p) => matches(p, imp, from)))
          violations.push(`${relative(SRC, file)} imports ${imp.module}: ${from} must not import \`${hit}\``);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the engine's cell keeps it away from concrete providers, the router, the CLI, the agent and storage", () => {
    expect(RULES.engine!.forbidden).toEqual(
      expect.arrayContaining([
        "provider/build.ts",
        "provider/factory.ts",
        "provider/ai-sdk/",
        "provider/local/",
        "router/",
        "cli/",
        "agent/",
        "session/",
        "config/",
        "node:fs",
      ]),
    );
    expect(RULES.engine!.allowed).toEqual([]);
  });

  it("the patterns mean what ARCHITECTURE.md says", () => {
    const internal = (module: string): Import => ({ module, internal: true });
    const external = (module: string): Import => ({ module, internal: false });
    expect(matches("provider/", internal("provider/local/ollama.ts"), "tool")).toBe(true);
    expect(matches("provider/local/", internal("provider/local-arm.ts"), "engine")).toBe(false);
    expect(matches("provider/types.ts", internal("provider/types.ts"), "tool")).toBe(true);
    expect(matches("node:fs", external("node:fs/promises"), "engine")).toBe(true);
    expect(matches("node:fs", external("node:fsx"), "engine")).toBe(false);
    expect(matches("commander", external("commander"), "agent")).toBe(true);
    expect(matches("router/", external("router"), "engine")).toBe(false);
    expect(matches("*", internal("message/types.ts"), "message")).toBe(false);
    expect(matches("*", internal("stream/events.ts"), "message")).toBe(true);
    expect(matches("*", external("zod"), "message")).toBe(true);
  });
});
