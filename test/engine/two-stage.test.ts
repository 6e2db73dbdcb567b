import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness, toolNames } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("two-stage tool routing (the seed's integration test)", () => {
  it("round 1 offers only select_category with tool choice required; round 2+ only the chosen category", async () => {
    h = await startHarness({
      script: [
        { toolCalls: [{ name: "select_category", arguments: '{"category":"write"}' }] },
        {
          toolCalls: [
            { name: "fs_write", arguments: JSON.stringify({ path: "out.txt", content: "hello\n" }) },
          ],
        },
        { text: "Wrote out.txt." },
      ],
      engine: { twoStage: "on" },
    });
    const turn = await h.engine.runTurn("create out.txt");
    expect(turn.status).toBe("success");
    expect(turn.rounds).toBe(3);
    expect(h.server.requests).toHaveLength(3);

    const [r1, r2, r3] = h.server.requests.map((r) => r.body);
    expect(toolNames(r1)).toEqual(["select_category"]);
    expect(r1.tool_choice).toBe("required");

    for (const body of [r2, r3]) {
      const names = toolNames(body);
      expect(names).toContain("fs_write");
      expect(names).toContain("fs_edit");
      expect(names).toContain("select_category");
      expect(names).not.toContain("fs_read");
      expect(names).not.toContain("bash");
      expect(names).not.toContain("fs_grep");
    }
    expect(await readFile(join(h.workspace, "out.txt"), "utf8")).toBe("hello\n");
    // right after a selection the model must call a tool of that category; after a real result it may answer
    expect(r2.tool_choice).toBe("required");
    expect(r3.tool_choice).toBe("auto");
  });

  it("an unknown category gets an error result and the next round is round-1 mode again", async () => {
    h = await startHarness({
      script: [
        { toolCalls: [{ name: "select_category", arguments: '{"category":"bogus"}' }] },
        { toolCalls: [{ name: "select_category", arguments: '{"category":"read"}' }] },
        { text: "ok" },
      ],
      engine: { twoStage: "on" },
    });
    const turn = await h.engine.runTurn("look around");
    expect(turn.status).toBe("success");
    const [r1, r2, r3] = h.server.requests.map((r) => r.body);
    expect(toolNames(r2)).toEqual(["select_category"]);
    expect(r2.tool_choice).toBe("required");
    const toolMsg = r2.messages.find((m: any) => m.role === "tool");
    expect(toolMsg.content).toMatch(/read, write, search, exec, meta/);
    expect(toolNames(r3)).toEqual(expect.arrayContaining(["fs_read", "fs_ls", "select_category"]));
    expect(toolNames(r3)).not.toContain("fs_write");
    expect(toolNames(r1)).toEqual(["select_category"]);
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

  it("state resets between turns", async () => {
    h = await startHarness({
      script: [
        { toolCalls: [{ name: "select_category", arguments: '{"category":"exec"}' }] },
        { text: "done" },
        { text: "second turn" },
      ],
      engine: { twoStage: "on" },
    });
    await h.engine.runTurn("first");
    await h.engine.runTurn("second");
    expect(toolNames(h.server.requests[2]!.body)).toEqual(["select_category"]);
  });
});

describe("two-stage routing for models that stall", () => {
  it("re-selecting the same category withholds select_category so the forced call must be a real tool", async () => {
    h = await startHarness({
      script: [
        { toolCalls: [{ name: "select_category", arguments: '{"category":"read"}' }] },
        { toolCalls: [{ name: "select_category", arguments: '{"category":"read"}' }] },
        { toolCalls: [{ name: "fs_ls", arguments: "{}" }] },
        { text: "empty" },
      ],
      engine: { twoStage: "on" },
    });
    const turn = await h.engine.runTurn("list");
    expect(turn.status).toBe("success");
    const [, r2, r3, r4] = h.server.requests.map((r) => r.body);
    expect(r2.tool_choice).toBe("required");
    expect(toolNames(r2)).toContain("select_category");
    expect(r3.tool_choice).toBe("required");
    expect(toolNames(r3).sort()).toEqual(["fs_ls", "fs_read"]);
    expect(r4.tool_choice).toBe("auto");
    expect(toolNames(r4)).toContain("select_category");
  });
});
