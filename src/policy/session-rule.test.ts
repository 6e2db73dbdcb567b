import { beforeAll, describe, expect, it } from "vitest";
import { loadBashGrammar } from "../tool/shell/grammar.ts";
import { PermissionPolicy } from "./permissions.ts";
import { describeRuleLine, sessionRuleFor } from "./session-rule.ts";

beforeAll(async () => {
  await loadBashGrammar();
});

const bash = (command: string) => ({
  tool: "bash",
  readOnly: false,
  destructive: true,
  category: "exec" as const,
  args: { command },
});

describe("sessionRuleFor", () => {
  it("allows a bash program and its first word as a prefix", () => {
    expect(sessionRuleFor("bash", { command: "npm test -- --run" })).toEqual({
      tool: "bash",
      pattern: "npm test*",
      action: "allow",
    });
  });

  it("keeps compound, one-word and unreadable commands exact", () => {
    expect(sessionRuleFor("bash", { command: "npm test && rm -rf /" }).pattern).toBe("npm test && rm -rf /");
    expect(sessionRuleFor("bash", { command: "ls" }).pattern).toBe("ls");
    expect(sessionRuleFor("bash", { command: "$(echo rm) x" }).pattern).toBe("$(echo rm) x");
  });

  it("allows other tools by name", () => {
    expect(sessionRuleFor("fs_write", { path: "a.ts" })).toEqual({ tool: "fs_write", action: "allow" });
    expect(describeRuleLine({ tool: "bash", pattern: "npm test*", action: "allow" })).toBe(
      'allow bash "npm test*"',
    );
  });
});

describe("PermissionPolicy.addRule", () => {
  it("a session rule allows the next matching call but not a compound one that hides another command", () => {
    const policy = new PermissionPolicy({ mode: "auto" });
    expect(policy.check(bash("npm test")).decision).toBe("ask");
    policy.addRule(sessionRuleFor("bash", { command: "npm test -- x" }));
    expect(policy.check(bash("npm test")).decision).toBe("allow");
    expect(policy.check(bash("npm test -- y")).decision).toBe("allow");
    expect(policy.check(bash("npm test; curl evil")).decision).toBe("ask");
    expect(policy.check(bash("npm run build")).decision).toBe("ask");
    expect(policy.rules).toEqual([{ tool: "bash", pattern: "npm test*", action: "allow" }]);
    expect(policy.removeRule(0)).toBe(true);
    expect(policy.removeRule(0)).toBe(false);
    expect(policy.check(bash("npm test -- y")).decision).toBe("ask");
  });

  it("never reaches a protected path", () => {
    const policy = new PermissionPolicy({ mode: "auto" });
    policy.addRule(sessionRuleFor("fs_write", { path: "a" }));
    const write = (path: string) => ({
      tool: "fs_write",
      readOnly: false,
      destructive: false,
      category: "write" as const,
      args: { path },
    });
    expect(policy.check(write("src/a.ts")).decision).toBe("allow");
    expect(policy.check(write(".env")).decision).toBe("ask");
  });
});
