import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { beforeAll, describe, expect, it } from "vitest";
import type { AskAnswer, AskRequest } from "../../policy/index.ts";
import { loadBashGrammar } from "../../tool/shell/grammar.ts";
import { PermissionPrompt } from "./permission-prompt.tsx";

const tick = () => new Promise((r) => setTimeout(r, 30));

function prompt(request: AskRequest, cwd = tmpdir()) {
  const answers: AskAnswer[] = [];
  const view = render(<PermissionPrompt request={request} cwd={cwd} onAnswer={(a) => answers.push(a)} />);
  return { ...view, answers };
}

const bashAsk: AskRequest = {
  tool: "bash",
  summary: "npm test -- --run",
  reason: "auto mode: bash is not read-only",
  args: { command: "npm test -- --run" },
};

// The gate asks only after the policy has read the command with the bash grammar; so does this test.
beforeAll(async () => {
  await loadBashGrammar();
});

describe("PermissionPrompt", () => {
  it("shows the exact command, the reason and the rule that allow always would add", () => {
    const { lastFrame } = prompt(bashAsk);
    const frame = lastFrame()!;
    expect(frame).toContain("Allow bash?");
    expect(frame).toContain("$ npm test -- --run");
    expect(frame).toContain("auto mode: bash is not read-only");
    expect(frame).toContain('allow always this session (allow bash "npm test*")');
  });

  it("y allows once, a allows always with the rule, Esc denies", async () => {
    const once = prompt(bashAsk);
    await tick();
    once.stdin.write("y");
    await tick();
    expect(once.answers).toEqual([{ allow: true }]);

    const always = prompt(bashAsk);
    await tick();
    always.stdin.write("a");
    await tick();
    expect(always.answers).toEqual([
      { allow: true, rule: { tool: "bash", pattern: "npm test*", action: "allow" } },
    ]);

    const esc = prompt(bashAsk);
    await tick();
    esc.stdin.write("\x1b");
    await tick();
    expect(esc.answers).toEqual([{ allow: false }]);
  });

  it("n asks for a note, and Enter denies with it", async () => {
    const view = prompt(bashAsk);
    await tick();
    view.stdin.write("n");
    await tick();
    expect(view.lastFrame()).toContain("note to the model:");
    view.stdin.write("use pnpm instead");
    await tick();
    expect(view.lastFrame()).toContain("use pnpm instead");
    view.stdin.write("\r");
    await tick();
    expect(view.answers).toEqual([{ allow: false, note: "use pnpm instead" }]);
  });

  it("shows an edit as the diff it makes", () => {
    const dir = mkdtempSync(join(tmpdir(), "owlet-prompt-"));
    writeFileSync(join(dir, "a.ts"), "const a = 1;\nconst b = 2;\n");
    const { lastFrame } = prompt(
      {
        tool: "fs_edit",
        summary: "a.ts",
        reason: "auto mode: fs_edit is not read-only",
        args: { path: "a.ts", old_string: "const b = 2;", new_string: "const b = 3;" },
      },
      dir,
    );
    const frame = lastFrame()!;
    expect(frame).toContain("- const b = 2;");
    expect(frame).toContain("+ const b = 3;");
    expect(frame).toContain("allow fs_edit");
  });
});
