import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { COMPACT_DOCS_MAX_BYTES, capBytes, FULL_DOCS_MAX_BYTES, loadProjectDocs } from "./project-docs.ts";
import { systemPrompt } from "./system-prompt.ts";
import { estimateCounter } from "./tokens.ts";

describe("systemPrompt", () => {
  it("full: names the tools' rules, workspace, date and platform", () => {
    const text = systemPrompt({ variant: "full", cwd: "/w/repo", date: "2026-01-02", platform: "linux" });
    expect(text).toContain("fs_read");
    expect(text).toContain("fs_edit");
    expect(text).toContain("Workspace: /w/repo");
    expect(text).toContain("Date: 2026-01-02");
    expect(text).toContain("Platform: linux");
    expect(text).toMatch(/relative to the workspace/);
  });

  it("compact: a few short lines, far smaller than full, no date unless given", () => {
    const compact = systemPrompt({ variant: "compact", cwd: "/w/repo" });
    const full = systemPrompt({ variant: "full", cwd: "/w/repo", date: "2026-01-02", platform: "linux" });
    expect(compact.split("\n").length).toBeLessThanOrEqual(5);
    expect(compact).not.toContain("Date:");
    expect(compact).toContain("fs_edit");
    expect(estimateCounter.count(compact)).toBeLessThan(90);
    expect(estimateCounter.count(compact) * 2).toBeLessThan(estimateCounter.count(full));
    expect(estimateCounter.count(full)).toBeLessThan(250);
  });

  it("appends project docs capped per variant, then extra", () => {
    const docs = "rule ".repeat(2000); // 10,000 bytes
    const compact = systemPrompt({ variant: "compact", cwd: "/w", projectDocs: docs, extra: "EXTRA" });
    const full = systemPrompt({ variant: "full", cwd: "/w", projectDocs: docs, extra: "EXTRA" });
    expect(compact).toContain("project docs cut");
    expect(Buffer.byteLength(compact)).toBeLessThan(COMPACT_DOCS_MAX_BYTES + 600);
    expect(full).not.toContain("project docs cut");
    expect(full).toContain(docs.trim());
    expect(compact.endsWith("EXTRA")).toBe(true);
    expect(full.endsWith("EXTRA")).toBe(true);
  });
});

describe("loadProjectDocs", () => {
  let root = "";
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("reads AGENTS.md then .owlet/OWLET.md", () => {
    root = mkdtempSync(join(tmpdir(), "owlet-docs-"));
    expect(loadProjectDocs(root)).toBeUndefined();
    writeFileSync(join(root, "AGENTS.md"), "Use pnpm.\n");
    expect(loadProjectDocs(root)).toBe("# AGENTS.md\nUse pnpm.");
    mkdirSync(join(root, ".owlet"));
    writeFileSync(join(root, ".owlet", "OWLET.md"), "Run make test.");
    expect(loadProjectDocs(root)).toBe(
      `# AGENTS.md\nUse pnpm.\n\n# ${join(".owlet", "OWLET.md")}\nRun make test.`,
    );
  });

  it("caps at maxBytes and skips blank or unreadable files", () => {
    root = mkdtempSync(join(tmpdir(), "owlet-docs-"));
    writeFileSync(join(root, "AGENTS.md"), "a".repeat(FULL_DOCS_MAX_BYTES * 2));
    mkdirSync(join(root, ".owlet"));
    mkdirSync(join(root, ".owlet", "OWLET.md")); // a directory where a file is expected
    const docs = loadProjectDocs(root)!;
    expect(docs).toMatch(/project docs cut: \d+ more bytes/);
    expect(Buffer.byteLength(docs)).toBeLessThan(FULL_DOCS_MAX_BYTES + 100);
    writeFileSync(join(root, "AGENTS.md"), "  \n");
    expect(loadProjectDocs(root)).toBeUndefined();
  });
});

describe("capBytes", () => {
  it("never cuts inside a character", () => {
    const out = capBytes("é".repeat(10), 5); // 2-byte characters
    expect(out.startsWith("éé\n")).toBe(true);
    expect(out).toContain("16 more bytes");
    expect(capBytes("short", 10)).toBe("short");
  });
});
