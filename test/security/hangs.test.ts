/**
 * Issue 9, "Hangs" (the splitter): a 160 KB bash command took 3.5 s in the old hand-written splitter (quadratic)
 * and a 5 MB one never finished. The grammar-based analysis refuses commands over 64 KiB at once and gives up on
 * pathological ones under that after its time budget.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionPolicy } from "../../src/policy/permissions.ts";
import { ANALYSIS_BUDGET_MS, MAX_ANALYSED_BYTES } from "../../src/tool/shell/analyse.ts";
import { loadBashGrammar } from "../../src/tool/shell/grammar.ts";
import { removeAttackDirs, runAttack, workspace } from "./attack-harness.ts";

beforeAll(() => loadBashGrammar());
afterAll(() => removeAttackDirs());

const bash = (command: string) => ({
  tool: "bash",
  readOnly: false,
  destructive: true,
  category: "exec" as const,
  args: { command },
});

/** Decides `command` in bypass mode with a deny rule (so the whole analysis runs); returns the decision and ms. */
function timedDecision(command: string): { decision: string; reason: string; ms: number } {
  const policy = new PermissionPolicy({
    mode: "bypass",
    rules: [{ tool: "bash", pattern: "rm *", action: "deny" }],
  });
  const started = performance.now();
  const { decision, reason } = policy.check(bash(command));
  return { decision, reason, ms: performance.now() - started };
}

const KB = 1024;
/** Command shapes that are slow for one parser or another: long words, many tiny commands, deep nesting. */
function shapes(size: number): Record<string, string> {
  return {
    "one long word": `echo ${"a".repeat(size)}`,
    "many words": `echo ${"ab ".repeat(size / 3)}`,
    "a && chain": `${"echo x && ".repeat(size / 10)}true`,
    "a pipeline": `${"a|".repeat(size / 2)}b`,
    "nested substitutions": `${"$(".repeat(size / 4)}${")".repeat(size / 4)}`,
    "quotes and escapes": `echo ${"'a'\"b\"\\c".repeat(size / 8)}`,
    "here-strings": "cat <<< $(a) ".repeat(size / 14),
    "open braces": `echo ${"{".repeat(size)}`,
    "a here-document": `cat > f <<'EOF'\n${"line $x `y` 'z'\n".repeat(size / 16)}EOF\n`,
  };
}

describe("the bash analysis is linear and bounded", () => {
  it("refuses a 5 MB command for its size in well under 1 s, in every mode", () => {
    const { decision, reason, ms } = timedDecision(`touch ran; echo ${"a".repeat(5 * KB * KB)}`);
    expect(decision).toBe("deny");
    expect(reason).toMatch(/bytes; owlet analyses bash commands of up to 64 KiB/);
    expect(ms).toBeLessThan(1000);
  });

  for (const [name, command] of Object.entries(shapes(160 * KB))) {
    it(`decides a 160 KB command (${name}) in well under 100 ms`, () => {
      const { decision, ms } = timedDecision(command);
      expect(decision).toBe("deny"); // over the size cap
      expect(ms).toBeLessThan(50);
    });
  }

  for (const [name, command] of Object.entries(shapes(MAX_ANALYSED_BYTES - 64))) {
    it(`analyses or refuses a command just under the cap (${name}) within its time budget`, () => {
      const { decision, reason, ms } = timedDecision(command);
      if (decision === "deny") expect(reason).toMatch(/too complex to analyse|bytes/);
      else expect(decision).toBe("allow");
      expect(ms).toBeLessThan(ANALYSIS_BUDGET_MS * 4);
    });
  }

  it("still analyses an ordinary 12 KB script and finds the rm in it", () => {
    const script = `${'if [ -f "$f" ]; then grep -n foo "$f" | head -5 >> out.txt; fi\n'.repeat(200)}rm -rf build\n`;
    const { decision, reason } = timedDecision(script);
    expect(decision).toBe("deny");
    expect(reason).toContain('denied by rule deny bash "rm *"');
  });
});

describe("through the model, in bypass mode", () => {
  it("a 5 MB command is refused quickly and nothing runs; a 160 KB one too", async () => {
    const ws = workspace();
    const started = Date.now();
    const run = await runAttack(
      [
        `touch ran-big; echo ${"a".repeat(5 * KB * KB)}`,
        `touch ran-160k; echo ${"ab ".repeat((160 * KB) / 3)}`,
      ],
      { cwd: ws, mode: "bypass" },
    );
    // Refused calls are denials: the turn is reported as permission_denied (exit 1), never as success.
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).owlet_status).toBe("permission_denied");
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.results).toHaveLength(2);
    for (const result of run.results) expect(result).toMatch(/not run: the command is \d+ bytes/);
    expect(existsSync(join(ws, "ran-big"))).toBe(false);
    expect(existsSync(join(ws, "ran-160k"))).toBe(false);
  }, 60_000);
});
