import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layering contract of ARCHITECTURE.md, checked on the sources: a layer imports only from layers at or
 * below its own rank. message ← stream ← provider ← tool ← context ← policy ← engine ← router ← session/config ← cli.
 */
const RANK: Record<string, number> = {
  message: 0,
  stream: 1,
  provider: 2,
  tool: 3,
  context: 4,
  policy: 5,
  engine: 6,
  router: 7,
  session: 8,
  config: 8,
  cli: 9,
};

const SRC = fileURLToPath(new URL("../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // Test-only helpers beside the code (*.test.ts, *.test-support.ts, test-helpers.ts) are not part of a layer.
    const testOnly = /\.test(-support)?\.ts$|\/test-helpers\.ts$/.test(path);
    return path.endsWith(".ts") && !testOnly ? [path] : [];
  });
}

const layerOf = (file: string) => relative(SRC, file).split("/")[0]!;

describe("architecture", () => {
  it("every layer folder is ranked", () => {
    const layers = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    for (const l of layers)
      expect(RANK, `src/${l} needs a rank here and a row in ARCHITECTURE.md`).toHaveProperty(l);
  });

  it("no layer imports from a layer above it", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
        const target = resolve(dirname(file), m[1]!);
        if (!target.startsWith(SRC)) continue;
        const to = layerOf(target);
        if (RANK[to]! > RANK[from]!)
          violations.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${from} → ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the engine never imports a concrete provider, the router, the CLI or storage", () => {
    for (const file of sourceFiles(join(SRC, "engine"))) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/from "\.\.\/provider\/(factory|ai-sdk|local)/);
      expect(text, file).not.toMatch(/from "\.\.\/(router|cli|session|config)\//);
      expect(text, file).not.toMatch(/from "node:fs/);
    }
  });
});
