import { describe, expect, it } from "vitest";
import { pathDenyFilter } from "./path-deny.ts";

describe("pathDenyFilter", () => {
  const filter = pathDenyFilter(
    [
      { tool: "fs_*", pattern: "secrets/*", action: "deny" },
      { tool: "fs_read", pattern: "/ws/private/*", action: "deny" },
      { tool: "fs_*", pattern: "docs/*", action: "allow" },
      { tool: "bash", action: "deny" },
    ],
    "/ws",
  );

  it("refuses real paths a deny rule names, relative or absolute, for the tools it covers", () => {
    expect(filter("fs_read", "secrets/plan.txt")).toContain('deny fs_* "secrets/*"');
    expect(filter("fs_grep", "secrets/deep/x")).toBeDefined();
    expect(filter("fs_read", "private/x")).toBeDefined();
    expect(filter("fs_grep", "private/x")).toBeUndefined();
  });

  it("ignores allow rules, rules without a pattern, and other paths", () => {
    expect(filter("fs_read", "docs/a.md")).toBeUndefined();
    expect(filter("fs_read", "src/secrets.ts")).toBeUndefined();
    expect(filter("bash", "secrets/x")).toBeUndefined();
  });
});
