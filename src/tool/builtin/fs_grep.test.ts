import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, testContext } from "../test-helpers.ts";
import { createFsGrepTool } from "./fs_grep.ts";
import { hasRipgrep } from "./grep-engines.ts";

const rgAvailable = await hasRipgrep();
const jsGrep = createFsGrepTool({ engine: "js" });
const rgGrep = createFsGrepTool({ engine: "rg" });

let base: string;
let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  ws = path.join(base, "ws");
  await mkdir(ws);
  await put("src/a.ts", "const alpha = 1;\nconst beta = 2;\nexport { alpha };\n");
  await put("src/b.js", "let alpha;\n");
  await put("src/gen/out.ts", "alpha generated\n");
  await put("dist/bundle.js", "alpha bundled\n");
  await put("node_modules/dep/index.js", "alpha dep\n");
  await put(".hidden/h.ts", "alpha hidden\n");
  await put("README.md", "no match here\n");
  await writeFile(path.join(ws, "bin.dat"), Buffer.from("alpha\0binary"));
  await put(".gitignore", "dist/\n");
  await put("src/.gitignore", "gen/\n");
  execFileSync("mkfifo", [path.join(ws, "src", "fifo")]); // must be skipped, not read (it would block)
});
afterEach(() => cleanup());

async function put(rel: string, text: string): Promise<void> {
  const p = path.join(ws, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, text);
}

const engines = [
  ["js", jsGrep, true],
  ["rg", rgGrep, rgAvailable],
] as const;

for (const [name, tool, available] of engines) {
  describe.skipIf(!available)(`fs_grep (${name} engine)`, () => {
    it("prints file:line:text, honouring .gitignore (nested too) and skipping hidden, node_modules, binary", async () => {
      const r = await tool.run({ pattern: "alpha" }, testContext(ws));
      expect(r.isError).toBeFalsy();
      expect(r.output.split("\n")).toEqual([
        "src/a.ts:1:const alpha = 1;",
        "src/a.ts:3:export { alpha };",
        "src/b.js:1:let alpha;",
      ]);
      expect(r.metadata).toMatchObject({ matches: 3, truncated: false, engine: name });
    });

    it("filters by glob and path, and searches a single file", async () => {
      expect((await tool.run({ pattern: "alpha", glob: "*.js" }, testContext(ws))).output).toBe(
        "src/b.js:1:let alpha;",
      );
      expect(
        (await tool.run({ pattern: "beta|alpha", path: "src/a.ts" }, testContext(ws))).output.split("\n"),
      ).toEqual([
        "src/a.ts:1:const alpha = 1;",
        "src/a.ts:2:const beta = 2;",
        "src/a.ts:3:export { alpha };",
      ]);
    });

    it("caps results with a truncation note", async () => {
      const r = await tool.run({ pattern: "alpha", max_results: 2 }, testContext(ws));
      const out = r.output.split("\n");
      expect(out.slice(0, 2)).toEqual(["src/a.ts:1:const alpha = 1;", "src/a.ts:3:export { alpha };"]);
      expect(out[2]).toMatch(/^… results capped at 2 lines/);
      expect(r.metadata).toMatchObject({ truncated: true });
    });

    it("accepts a leading (?i) for case-insensitive search", async () => {
      const r = await tool.run({ pattern: "(?i)BETA" }, testContext(ws));
      expect(r.output).toBe("src/a.ts:2:const beta = 2;");
    });

    it("reports no matches without an error", async () => {
      const r = await tool.run({ pattern: "zzz_nothing" }, testContext(ws));
      expect(r.isError).toBeFalsy();
      expect(r.output).toMatch(/^No matches for \/zzz_nothing\//);
    });
  });
}

describe.skipIf(!rgAvailable)("fs_grep (rg fallback)", () => {
  it("falls back to the JS engine when rg rejects a JS-valid pattern (lookahead)", async () => {
    const r = await rgGrep.run({ pattern: "alpha(?= =)" }, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe("src/a.ts:1:const alpha = 1;");
    expect(r.metadata).toMatchObject({ engine: "js" });
  });
});

describe("fs_grep (shared)", () => {
  it("returns the regex error for an invalid pattern", async () => {
    const r = await jsGrep.run({ pattern: "foo(" }, testContext(ws));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^Invalid regular expression: .*foo\(/);
  });

  it("returns an error result for an invalid glob instead of throwing", async () => {
    for (const tool of [jsGrep, rgGrep]) {
      for (const glob of ["{a,b", "[z-a]"]) {
        const r = await tool.run({ pattern: "alpha", glob }, testContext(ws));
        expect(r.isError, glob).toBe(true);
        expect(r.output).toMatch(
          new RegExp(`^Invalid glob "${glob.replace(/[[\]{}]/g, "\\$&")}" \\(.*\\)\\. Close every`),
        );
      }
    }
  });

  it("refuses paths outside the workspace", async () => {
    const r = await jsGrep.run({ pattern: "x", path: "../" }, testContext(ws));
    expect(r).toMatchObject({ isError: true, output: expect.stringMatching(/outside the workspace/) });
  });

  it("truncates very long matching lines", async () => {
    await put("long.txt", `alpha${"x".repeat(1000)}\n`);
    const r = await jsGrep.run({ pattern: "alpha", path: "long.txt" }, testContext(ws));
    expect(r.output).toBe(`long.txt:1:alpha${"x".repeat(495)}… [line truncated]`);
  });
});
