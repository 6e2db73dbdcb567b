import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findInstructions, fitParts, loadInstructions } from "./project-docs.ts";

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "owlet-instr-"));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe("instruction files (issue 12)", () => {
  it("reads the user's, the root's and the nearest ones of the subdirectory, general to specific", () => {
    const root = join(base, "repo");
    const user = join(base, "config", "owlet");
    mkdirSync(join(root, "pkg", "api", "src"), { recursive: true });
    mkdirSync(join(root, ".owlet"), { recursive: true });
    mkdirSync(user, { recursive: true });
    writeFileSync(join(user, "AGENTS.md"), "I like tabs.");
    writeFileSync(join(root, "AGENTS.md"), "Use pnpm.");
    writeFileSync(join(root, "CLAUDE.md"), "Be terse.");
    writeFileSync(join(root, ".owlet", "OWLET.md"), "Run make test.");
    writeFileSync(join(root, "pkg", "AGENTS.md"), "pkg: far");
    writeFileSync(join(root, "pkg", "api", "AGENTS.md"), "api: near");
    writeFileSync(join(root, "pkg", "CLAUDE.md"), "pkg claude");
    const files = findInstructions({
      projectRoot: root,
      cwd: join(root, "pkg", "api", "src"),
      userDir: user,
    });
    expect(files.map((f) => f.heading)).toEqual([
      "~/.config/owlet/AGENTS.md (the user's own)",
      "AGENTS.md",
      "CLAUDE.md",
      join(".owlet", "OWLET.md"),
      join("pkg", "api", "AGENTS.md"), // the nearest AGENTS.md, not pkg/AGENTS.md
      join("pkg", "CLAUDE.md"),
    ]);
    expect(files.at(-2)!.text).toBe("api: near");
    // at the root itself, only the root's files (and the user's)
    expect(findInstructions({ projectRoot: root, cwd: root }).map((f) => f.heading)).toEqual([
      "AGENTS.md",
      "CLAUDE.md",
      join(".owlet", "OWLET.md"),
    ]);
  });

  it("too long together: every file is cut to a fair share with a note, and the short ones stay whole", () => {
    const parts = ["# A\nshort", `# B\n${"b".repeat(5000)}`, `# C\n${"c".repeat(5000)}`];
    const out = fitParts(parts, 2000)!;
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(2000);
    expect(out).toContain("# A\nshort");
    expect(out).toContain("# B\nbbb");
    expect(out).toContain("# C\nccc");
    expect(out.match(/project docs cut: \d+ more bytes/g)).toHaveLength(2);
    expect(fitParts(["# A\nx"], 100)).toBe("# A\nx");
    expect(fitParts([], 100)).toBeUndefined();
    expect(loadInstructions({ projectRoot: base, cwd: base })).toBeUndefined();
  });
});
