import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { diffTexts } from "../render/edit-diff.ts";
import type { ToolEntry } from "../transcript.ts";
import { resultSummary, ToolLine } from "./tool-line.tsx";

const entry = (patch: Partial<ToolEntry>): ToolEntry => ({
  id: 1,
  kind: "tool",
  callId: "c1",
  name: "bash",
  args: JSON.stringify({ command: "npm test" }),
  state: "ok",
  output: "ok 1 adds\nok 2 subtracts\n# pass 2",
  ...patch,
});

describe("ToolLine", () => {
  it("is one line for the call and one for its result, until expanded", () => {
    const compact = render(<ToolLine entry={entry({})} />).lastFrame()!;
    expect(compact.split("\n")).toEqual(["● bash npm test", "  ⎿ ok 1 adds (+2 lines)"]);
    const expanded = render(<ToolLine entry={entry({})} expanded />).lastFrame()!;
    expect(expanded).toContain("ok 2 subtracts");
    expect(expanded).toContain("# pass 2");
  });

  it("says when a call was denied, and shows nothing under a running one", () => {
    expect(
      render(
        <ToolLine entry={entry({ state: "denied", output: "Permission denied for bash" })} />,
      ).lastFrame(),
    ).toContain("⎿ denied: Permission denied for bash");
    expect(render(<ToolLine entry={entry({ state: "running", output: undefined })} />).lastFrame()).toBe(
      "○ bash npm test",
    );
  });

  it("shows a successful edit's diff", () => {
    const diff = diffTexts("a.ts", "one\ntwo\n", "one\n2\n");
    const frame = render(
      <ToolLine
        entry={entry({
          name: "fs_edit",
          args: JSON.stringify({ path: "a.ts" }),
          output: "Edited a.ts",
          diff,
        })}
      />,
    ).lastFrame()!;
    expect(frame).toContain("● fs_edit a.ts");
    expect(frame).toContain("- two");
    expect(frame).toContain("+ 2");
  });

  it("summarises a result by its first line and line count", () => {
    expect(resultSummary("")).toBe("(no output)");
    expect(resultSummary("a\nb\n")).toBe("a (+1 lines)");
    expect(resultSummary("\n\n> test\n> node --test\n")).toBe("> test (+1 lines)");
    expect(resultSummary("x".repeat(100))).toHaveLength(70);
  });
});
