import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, messagesOf, startHarness, toolNames } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const pick = (category: string) => ({
  toolCalls: [{ name: "select_category", arguments: JSON.stringify({ category }) }],
});
const enumOf = (body: any): string[] =>
  body.tools.find((t: any) => t.function.name === "select_category").function.parameters.properties.category
    .enum;

describe("two-stage tool routing: pick a step, make its call, pick again, answer", () => {
  it("every round but the answer is forced; a step offers only its tools; the answer round offers none", async () => {
    h = await startHarness({
      script: [
        pick("write"),
        {
          toolCalls: [
            { name: "fs_write", arguments: JSON.stringify({ path: "out.txt", content: "hello\n" }) },
          ],
        },
        pick("answer"),
        { text: "Wrote out.txt." },
      ],
      engine: { twoStage: "on" },
    });
    const turn = await h.engine.runTurn("create out.txt");
    expect(turn.status).toBe("success");
    expect(turn.text).toBe("Wrote out.txt.");
    expect(await readFile(join(h.workspace, "out.txt"), "utf8")).toBe("hello\n");

    const [r1, r2, r3, r4] = h.server.requests.map((r) => r.body);
    expect(toolNames(r1)).toEqual(["select_category"]);
    expect(r1.tool_choice).toBe("required");
    expect(enumOf(r1)).toEqual(["exec", "search", "read", "write", "answer"]);
    // a write step can read first; nothing of the other steps
    expect(toolNames(r2).sort()).toEqual(["fs_edit", "fs_read", "fs_write"]);
    expect(r2.tool_choice).toBe("required");
    // after the step's call has run, the next step is picked again
    expect(toolNames(r3)).toEqual(["select_category"]);
    expect(r3.tool_choice).toBe("required");
    // the answer round has no tools to call
    expect(toolNames(r4)).toEqual([]);
    expect(h.server.requests).toHaveLength(4);
  });

  it("an unknown category gets an error result naming the offered ones, and the next round picks again", async () => {
    h = await startHarness({
      script: [
        pick("bogus"),
        pick("read"),
        { toolCalls: [{ name: "fs_ls", arguments: "{}" }] },
        pick("answer"),
        { text: "ok" },
      ],
      engine: { twoStage: "on" },
    });
    const turn = await h.engine.runTurn("look around");
    expect(turn.status).toBe("success");
    const [, r2, r3] = h.server.requests.map((r) => r.body);
    expect(toolNames(r2)).toEqual(["select_category"]);
    const toolMsg = r2.messages.find((m: any) => m.role === "tool");
    expect(toolMsg.content).toMatch(/exec, search, read, write, answer/);
    expect(toolNames(r3).sort()).toEqual(["fs_ls", "fs_read"]);
  });

  it("turns on by itself for a local arm with a small or unknown window, not for a cloud arm", async () => {
    h = await startHarness({ script: [{ text: "hi" }], arm: { local: true, contextWindow: 8192 } });
    await h.engine.runTurn("hello");
    expect(toolNames(h.server.requests[0]!.body)).toEqual(["select_category"]);
    await h.close();

    h = await startHarness({ script: [{ text: "hi" }], arm: { local: false } });
    await h.engine.runTurn("hello");
    expect(toolNames(h.server.requests[0]!.body).length).toBeGreaterThanOrEqual(7);
    await h.close();

    h = await startHarness({
      script: [{ text: "hi" }],
      arm: { local: true, contextWindow: 8192 },
      engine: { twoStage: "off" },
    });
    await h.engine.runTurn("hello");
    expect(toolNames(h.server.requests[0]!.body)).not.toContain("select_category");
  });

  it("text in a pick round is the answer; text where a call was required is corrected", async () => {
    h = await startHarness({
      script: [
        pick("read"),
        { text: "I will read it." },
        { toolCalls: [{ name: "fs_ls", arguments: "{}" }] },
        { text: "Done." },
      ],
      engine: { twoStage: "on" },
    });
    const turn = await h.engine.runTurn("list");
    expect(turn.status).toBe("success");
    expect(turn.text).toBe("Done.");
    expect(turn.earlyStops).toEqual(["no_call"]);
    const r3 = h.server.requests[2]!.body;
    // the correction follows the reply that had no call, and the step's tools are offered again
    expect(toolNames(r3).sort()).toEqual(["fs_ls", "fs_read"]);
    expect(JSON.stringify(messagesOf(r3).at(-1))).toMatch(/tool call/);
  });

  it("a call that repeats an earlier one leaves its step out of the next pick", async () => {
    h = await startHarness({
      script: [
        pick("read"),
        { toolCalls: [{ name: "fs_ls", arguments: "{}" }] },
        pick("read"),
        { toolCalls: [{ name: "fs_ls", arguments: "{}" }] },
        pick("answer"),
        { text: "empty" },
      ],
      engine: { twoStage: "on" },
    });
    await h.engine.runTurn("list");
    const bodies = h.server.requests.map((r) => r.body);
    expect(enumOf(bodies[2])).toContain("read");
    expect(enumOf(bodies[4])).not.toContain("read");
    expect(enumOf(bodies[4])).toContain("answer");
  });

  it("a pick says what the turn's calls did so far", async () => {
    h = await startHarness({
      script: [
        pick("read"),
        { toolCalls: [{ name: "fs_read", arguments: '{"path":"nope.txt"}' }] },
        pick("answer"),
        { text: "x" },
      ],
      engine: { twoStage: "on" },
    });
    await h.engine.runTurn("read nope.txt");
    const desc = (b: any) => b.tools[0].function.description as string;
    expect(desc(h.server.requests[0]!.body)).not.toMatch(/Done so far/);
    expect(desc(h.server.requests[2]!.body)).toMatch(/Done so far: fs_read nope\.txt failed/);
  });

  it("a local arm's model never sees the category picks; the history keeps them", async () => {
    h = await startHarness({
      script: [
        pick("read"),
        { toolCalls: [{ name: "fs_ls", arguments: "{}" }] },
        pick("answer"),
        { text: "done" },
      ],
      arm: { local: true, contextWindow: 8192 },
    });
    await h.engine.runTurn("list the files");
    for (const r of h.server.requests)
      expect(JSON.stringify(messagesOf(r.body))).not.toContain("select_category");
    expect(JSON.stringify(messagesOf(h.server.requests[3]!.body))).toContain("fs_ls");
    expect(JSON.stringify(h.engine.history)).toContain("select_category");
  });

  it("state resets between turns", async () => {
    h = await startHarness({
      script: [pick("answer"), { text: "done" }, { text: "second turn" }],
      engine: { twoStage: "on" },
    });
    await h.engine.runTurn("first");
    await h.engine.runTurn("second");
    expect(toolNames(h.server.requests[2]!.body)).toEqual(["select_category"]);
  });

  it("a small local arm starts from the files its prompt names, read through fs_read", async () => {
    h = await startHarness({
      script: [pick("answer"), { text: "It adds." }],
      arm: { local: true, contextWindow: 8192 },
    });
    await writeFile(join(h.workspace, "math.js"), "export const add = (a, b) => a + b;\n");
    await h.engine.runTurn("what does math.js do?");
    const first = JSON.stringify(messagesOf(h.server.requests[0]!.body));
    expect(first).toContain("export const add");
    expect(h.events.some((e) => e.type === "tool_call" && e.name === "fs_read")).toBe(true);
  });
});
