import { describe, expect, it } from "vitest";
import { combineDecisions, readHookRun } from "./decision.ts";
import { matcherSelects } from "./spec.ts";

const run = (exitCode: number | null, stdout = "", stderr = "", timedOut = false) => ({
  exitCode,
  stdout,
  stderr,
  timedOut,
});

describe("readHookRun", () => {
  it("reads exit codes as Claude Code does: 0 continues, 2 blocks blocking events, others are notices", () => {
    expect(readHookRun("PreToolUse", "h", run(0))).toEqual({ notices: [] });
    expect(readHookRun("PreToolUse", "h", run(2, "", "no rm\n"))).toEqual({ block: "no rm", notices: [] });
    expect(readHookRun("SessionStart", "h", run(2, "", "no"))).toEqual({ notices: ["hook h: no"] });
    expect(readHookRun("PreToolUse", "h", run(1, "", "boom\nmore")).notices).toEqual([
      "hook h failed (exit 1): boom",
    ]);
    expect(readHookRun("PreToolUse", "h", run(null, "", "", true)).notices).toEqual([
      "hook h timed out and was killed",
    ]);
  });

  it("reads JSON decisions; allow and approve decide nothing", () => {
    const json = (v: unknown) => run(0, JSON.stringify(v));
    expect(readHookRun("PreToolUse", "h", json({ decision: "approve" })).block).toBeUndefined();
    expect(
      readHookRun("PreToolUse", "h", json({ hookSpecificOutput: { permissionDecision: "allow" } })),
    ).toEqual({ notices: [] });
    expect(readHookRun("PreToolUse", "h", json({ decision: "block", reason: "r" })).block).toBe("r");
    expect(
      readHookRun("PreToolUse", "h", json({ hookSpecificOutput: { permissionDecision: "ask" } })).ask,
    ).toBe("hook h asks for approval");
    expect(readHookRun("Stop", "h", json({ continue: false, stopReason: "quota" })).stop).toBe("quota");
    expect(readHookRun("Notification", "h", json({ systemMessage: "hi" })).notices).toEqual(["hi"]);
    // Plain stdout is context for UserPromptSubmit and SessionStart only.
    expect(readHookRun("UserPromptSubmit", "h", run(0, "ctx\n")).context).toBe("ctx");
    expect(readHookRun("PostToolUse", "h", run(0, "ctx\n")).context).toBeUndefined();
  });

  it("combines hooks: blocks and contexts joined, the first ask", () => {
    const d = combineDecisions([
      { block: "a", context: "x", notices: ["n1"] },
      { ask: "why", notices: [] },
      { block: "b", ask: "later", context: "y", notices: ["n2"] },
    ]);
    expect(d).toEqual({ block: "a\nb", ask: "why", context: "x\ny", notices: ["n1", "n2"] });
  });
});

describe("matcherSelects", () => {
  it("matches the whole owlet or Claude Code name; no matcher or * is every tool", () => {
    expect(matcherSelects(undefined, ["bash", "Bash"])).toBe(true);
    expect(matcherSelects("*", ["bash", "Bash"])).toBe(true);
    expect(matcherSelects("Bash", ["bash", "Bash"])).toBe(true);
    expect(matcherSelects("bash", ["bash", "Bash"])).toBe(true);
    expect(matcherSelects("Edit|Write", ["fs_write", "Write"])).toBe(true);
    expect(matcherSelects("Bas", ["bash", "Bash"])).toBe(false);
    expect(matcherSelects("mcp__fs__.*", ["mcp__fs__read_file"])).toBe(true);
    expect(matcherSelects("(", ["("])).toBe(true);
  });
});
