import { describe, expect, it } from "vitest";
import { type ToolCallOutcome, ToolLoopDetector } from "./tool-loop.ts";

const call = (over: Partial<ToolCallOutcome> = {}): ToolCallOutcome => ({
  name: "fs_ls",
  arguments: '{"path":"src"}',
  isError: false,
  firstLine: "a.js",
  changedState: false,
  ...over,
});

describe("ToolLoopDetector", () => {
  it("trips on the third identical call, ignoring key order and whitespace", () => {
    const d = new ToolLoopDetector();
    expect(d.record(call())).toBeUndefined();
    expect(d.record(call({ arguments: '{ "path" : "src" }' }))).toBeUndefined();
    const trip = d.record(call());
    expect(trip?.detector).toBe("tool_loop");
    expect(trip?.injection).toContain("fs_ls");
  });

  it("trips on the second identical failure and quotes the error", () => {
    const d = new ToolLoopDetector();
    const failing = call({ arguments: '{"path":"nope.js"}', isError: true, firstLine: "not found: nope.js" });
    expect(d.record(failing)).toBeUndefined();
    const trip = d.record(failing);
    expect(trip?.detector).toBe("tool_loop");
    expect(trip?.injection).toContain("not found: nope.js");
  });

  it("different arguments are different calls", () => {
    const d = new ToolLoopDetector();
    for (const path of ["a", "b", "c", "d"])
      expect(d.record(call({ arguments: JSON.stringify({ path }), isError: true }))).toBeUndefined();
  });

  it("a failure after a success of the same call is a first failure (only the 3× rule applies)", () => {
    const d = new ToolLoopDetector();
    const cmd = { name: "fs_read", arguments: '{"path":"a.js"}' };
    expect(d.record(call({ ...cmd, isError: true }))).toBeUndefined();
    expect(d.record(call({ ...cmd, isError: false }))).toBeUndefined();
    const trip = d.record(call({ ...cmd, isError: true }));
    expect(trip?.reason).toMatch(/3 times/);
    expect(trip?.reason).not.toMatch(/failing/);
  });

  it("a workspace change in between resets the counts (re-running tests after an edit is progress)", () => {
    const d = new ToolLoopDetector();
    const test = call({ name: "bash", arguments: '{"command":"npm test"}', isError: true });
    expect(d.record(test)).toBeUndefined();
    d.workspaceChanged();
    expect(d.record(test)).toBeUndefined();
    expect(
      d.record(call({ name: "bash", arguments: '{"command":"sed -i s/a/b/ x"}', changedState: true })),
    ).toBeUndefined();
    expect(d.record(test)).toBeUndefined();
  });

  it("trips once per run: the count starts again after a trip", () => {
    const d = new ToolLoopDetector();
    const trips = Array.from({ length: 6 }, () => d.record(call())).filter(Boolean);
    expect(trips).toHaveLength(2);
  });
});
