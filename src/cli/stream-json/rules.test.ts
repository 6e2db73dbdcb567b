import { describe, expect, it } from "vitest";
import {
  claudeRuleToOwlet,
  owletPermissionMode,
  splitToolList,
  toolFlagRules,
  toolSetRules,
} from "./rules.ts";

describe("Claude Code's tool rules on owlet's policy", () => {
  it("maps tool names and rule specifiers onto owlet's tools and globs", () => {
    expect(claudeRuleToOwlet("Bash(npm test:*)", "allow")).toEqual([
      { tool: "bash", pattern: "npm test*", action: "allow" },
    ]);
    expect(claudeRuleToOwlet("Bash(git diff)", "deny")).toEqual([
      { tool: "bash", pattern: "git diff", action: "deny" },
    ]);
    expect(claudeRuleToOwlet("Edit(./src/**)", "allow")).toEqual([
      { tool: "fs_edit", pattern: "src/**", action: "allow" },
      { tool: "fs_write", pattern: "src/**", action: "allow" },
    ]);
    expect(claudeRuleToOwlet("Read", "deny").map((r) => r.tool)).toEqual([
      "fs_read",
      "fs_ls",
      "fs_glob",
      "fs_grep",
    ]);
    expect(claudeRuleToOwlet("Read(//etc/*)", "deny")[0]).toMatchObject({ pattern: "/etc/*" });
    expect(claudeRuleToOwlet("fs_*", "allow")).toEqual([{ tool: "fs_*", action: "allow" }]);
    expect(claudeRuleToOwlet("mcp__github__create_issue", "allow")).toEqual([
      { tool: "mcp__github__create_issue", action: "allow" },
    ]);
    expect(() => claudeRuleToOwlet("Bash(npm", "allow")).toThrow(/invalid tool rule/);
  });

  it("splits lists on commas and spaces outside parentheses; deny rules come first", () => {
    expect(splitToolList(["Read,Bash(git diff:*) Edit", "Write"])).toEqual([
      "Read",
      "Bash(git diff:*)",
      "Edit",
      "Write",
    ]);
    expect(toolFlagRules(["Write"], ["Bash(rm:*)"])).toEqual([
      { tool: "bash", pattern: "rm*", action: "deny" },
      { tool: "fs_write", action: "allow" },
    ]);
  });

  it("--tools keeps the listed tools and denies the rest; default keeps all", () => {
    expect(toolSetRules(["Read"]).map((r) => r.tool)).toEqual(["bash", "fs_edit", "fs_write"]);
    expect(toolSetRules(["default"])).toEqual([]);
    expect(toolSetRules([""])).toEqual([]);
  });

  it("maps Claude Code's permission modes and keeps owlet's", () => {
    expect(owletPermissionMode("acceptEdits")).toBe("accept_edits");
    expect(owletPermissionMode("bypassPermissions")).toBe("bypass");
    expect(owletPermissionMode("dontAsk")).toBe("deny");
    expect(owletPermissionMode("default")).toBe("auto");
    expect(owletPermissionMode("plan")).toBe("plan");
    expect(owletPermissionMode("accept_edits")).toBe("accept_edits");
  });
});
