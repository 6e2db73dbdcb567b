import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const userTexts = (body: any): string[] =>
  body.messages
    .filter((m: any) => m.role === "user")
    .map((m: any) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));

describe("early-stop detectors", () => {
  it("repetition in the streamed text cuts the stream, keeps the cut text short and injects a correction", async () => {
    const sentence = "I will now check the configuration file again to be sure. ";
    h = await startHarness({
      script: [
        { text: Array.from({ length: 40 }, () => sentence), chunkDelayMs: 2 },
        { text: "Stopping: nothing left to do." },
      ],
    });
    const turn = await h.engine.runTurn("check the config");
    expect(turn.status).toBe("success");
    expect(turn.earlyStops).toEqual(["repetition"]);
    expect(h.server.requests).toHaveLength(2);
    const second = h.server.requests[1]!.body;
    const assistant = second.messages.filter((m: any) => m.role === "assistant");
    expect(assistant).toHaveLength(1);
    expect(String(assistant[0].content).length).toBeLessThan(sentence.length * 10);
    expect(userTexts(second).at(-1)).toMatch(/repeating/i);
    expect(h.events.some((e) => e.type === "early_stop" && e.detector === "repetition")).toBe(true);
  });

  it("a greeting right after a tool round injects a correction", async () => {
    h = await startHarness({
      script: [
        { toolCalls: [{ name: "fs_ls", arguments: "{}" }] },
        { text: "Hi there! How can I help you today?" },
        { text: "The workspace is empty." },
      ],
    });
    const turn = await h.engine.runTurn("what is in this folder?");
    expect(turn.status).toBe("success");
    expect(h.server.requests).toHaveLength(3);
    expect(turn.earlyStops).toEqual(["greeting"]);
    expect(userTexts(h.server.requests[2]!.body).at(-1)).toMatch(/greeting/i);
    expect(turn.text).toBe("The workspace is empty.");
  });

  it("a greeting in the first round is not a regression", async () => {
    h = await startHarness({ script: [{ text: "Hi there! How can I help you today?" }] });
    const turn = await h.engine.runTurn("hello");
    expect(turn.status).toBe("success");
    expect(turn.earlyStops).toEqual([]);
    expect(h.server.requests).toHaveLength(1);
  });

  it("four failed edits on one path trigger the patch-spiral correction naming the path and fs_write", async () => {
    const badEdit = (path: string) => ({
      toolCalls: [
        { name: "fs_edit", arguments: JSON.stringify({ path, old_string: "no such text", new_string: "x" }) },
      ],
    });
    h = await startHarness({
      script: [
        badEdit("a.js"),
        badEdit("a.js"),
        badEdit("a.js"),
        badEdit("a.js"),
        { text: "I will rewrite it." },
      ],
    });
    await import("node:fs/promises").then((fs) => fs.writeFile(`${h!.workspace}/a.js`, "const a = 1;\n"));
    const turn = await h.engine.runTurn("fix a.js");
    expect(h.server.requests).toHaveLength(5);
    expect(turn.earlyStops).toEqual(["patch_spiral"]);
    const last = userTexts(h.server.requests[4]!.body).at(-1)!;
    expect(last).toContain("a.js");
    expect(last).toContain("fs_write");
  });

  it("the same failing call twice injects a tool-loop correction quoting the error, then the turn goes on", async () => {
    const ls = { toolCalls: [{ name: "fs_ls", arguments: JSON.stringify({ path: "no-such-dir" }) }] };
    h = await startHarness({ script: [ls, ls, { text: "There is no such directory." }] });
    const turn = await h.engine.runTurn("list no-such-dir");
    expect(turn.status).toBe("success");
    expect(turn.earlyStops).toEqual(["tool_loop"]);
    expect(h.server.requests).toHaveLength(3);
    const last = userTexts(h.server.requests[2]!.body).at(-1)!;
    expect(last).toContain("fs_ls");
    expect(last).toContain("no-such-dir");
  });

  it("a tool loop that trips three times ends the turn as stuck", async () => {
    const ls = { toolCalls: [{ name: "fs_ls", arguments: JSON.stringify({ path: "no-such-dir" }) }] };
    h = await startHarness({ script: () => ls });
    const turn = await h.engine.runTurn("list no-such-dir");
    expect(turn.status).toBe("stuck");
    expect(turn.earlyStops).toEqual(["tool_loop", "tool_loop", "tool_loop"]);
    expect(h.server.requests).toHaveLength(6);
  });

  it("failures spread over different paths never trip the patch-spiral detector", async () => {
    const badEdit = (path: string) => ({
      toolCalls: [
        { name: "fs_edit", arguments: JSON.stringify({ path, old_string: "zzz", new_string: "x" }) },
      ],
    });
    h = await startHarness({
      script: [
        badEdit("a.js"),
        badEdit("b.js"),
        badEdit("a.js"),
        badEdit("b.js"),
        badEdit("a.js"),
        badEdit("b.js"),
        { text: "done" },
      ],
    });
    const fs = await import("node:fs/promises");
    await fs.writeFile(`${h.workspace}/a.js`, "a\n");
    await fs.writeFile(`${h.workspace}/b.js`, "b\n");
    const turn = await h.engine.runTurn("fix both");
    expect(turn.earlyStops).toEqual([]);
    expect(h.server.requests).toHaveLength(7);
  });
});

describe("a model that keeps looping", () => {
  it("ends the turn as stuck after the same detector trips 3 times, instead of running to max-turns", async () => {
    const sentence = "Let me think about this problem step by step again now. ";
    h = await startHarness({
      script: () => ({ text: Array.from({ length: 40 }, () => sentence) }),
      engine: { maxTurns: 20 },
    });
    const turn = await h.engine.runTurn("solve it");
    expect(turn.status).toBe("stuck");
    expect(turn.earlyStops).toEqual(["repetition", "repetition", "repetition"]);
    expect(h.server.requests).toHaveLength(3);
    expect(turn.error).toMatch(/repetition/);
  });
});
