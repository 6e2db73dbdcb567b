import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ResultsStore } from "../../src/tool/results-store.ts";
import { type Harness, startHarness } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sizeOf = (body: any) => JSON.stringify(body.messages).length;

describe("a 413 in a long single turn (issue 12)", () => {
  it("after two large reads, the retry is strictly smaller, keeps the prompt and the latest read, and completes", async () => {
    h = await startHarness({
      script: [
        { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "a.txt" }) }] },
        { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "b.txt" }) }] },
        { status: 413 },
        { text: "the two files differ in their last line" },
      ],
      // the window is known and the budget already turns the first read into a marker, so shrinking the older
      // results again (what owlet did before) changes nothing: the "same request" retry
      arm: { contextWindow: 3000 },
      engine: { store: new ResultsStore(await mkdtemp(join(tmpdir(), "owlet-results-"))) },
    });
    await writeFile(join(h.workspace, "a.txt"), `${"alpha line\n".repeat(300)}end of a\n`);
    await writeFile(join(h.workspace, "b.txt"), `${"bravo line\n".repeat(300)}end of b\n`);
    const turn = await h.engine.runTurn("compare a.txt and b.txt");
    expect(turn.status).toBe("success");
    expect(turn.text).toMatch(/differ/);
    const [, , refused, retry] = h.server.requests.map((r) => r.body);
    expect(JSON.stringify(refused.messages)).toContain("[prior result of fs_read");
    expect(sizeOf(retry)).toBeLessThan(sizeOf(refused));
    const sent = JSON.stringify(retry.messages);
    expect(sent).toContain("compare a.txt and b.txt");
    expect(sent).toContain("bravo line"); // the latest read, verbatim (its preview)
    expect(h.events.some((e) => e.type === "compaction" && /413/.test(e.reason))).toBe(true);
    // later requests of the arm stay under the ceiling learned from the refusal
    expect(h.engine.promptCeilings.get(h.arm.id)).toBeGreaterThan(0);
  });

  it("a request that cannot be made smaller is not sent again: the turn fails with what to do", async () => {
    h = await startHarness({ script: [{ status: 413 }, { text: "never sent" }] });
    const turn = await h.engine.runTurn(`summarise this: ${"lorem ipsum ".repeat(2000)}`);
    expect(turn.status).toBe("budget_error");
    expect(turn.error).toMatch(/HTTP 413/);
    expect(turn.error).toMatch(/Shorten the prompt|larger context window/);
    expect(h.server.requests).toHaveLength(1);
  });

  it("drops the turn's own oldest rounds when markers are not enough, never the prompt or the latest round", async () => {
    const reads = Array.from({ length: 8 }, (_, i) => ({
      toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: `f${i}.txt` }) }],
    }));
    h = await startHarness({ script: [...reads, { status: 413 }, { text: "done" }] });
    // results shorter than their markers: only dropping rounds makes the request smaller
    for (let i = 0; i < 8; i++) await writeFile(join(h.workspace, `f${i}.txt`), `${i}\n`);
    const turn = await h.engine.runTurn("read f0.txt to f7.txt");
    expect(turn.status).toBe("success");
    const refused = h.server.requests[8]!.body;
    const retry = h.server.requests[9]!.body;
    expect(sizeOf(retry)).toBeLessThan(sizeOf(refused));
    const calls = (retry.messages as any[]).flatMap((m) => m.tool_calls ?? []).map((c: any) => c.id);
    expect(calls.length).toBeLessThan(8); // some of the turn's own rounds went, the oldest first
    expect(calls).not.toContain("call_0_0");
    expect(calls).toContain("call_7_0"); // the latest round stayed
    expect(JSON.stringify(retry.messages)).toContain("read f0.txt to f7.txt");
    // every tool message still answers a call of the assistant message before it
    for (const [i, m] of (retry.messages as any[]).entries()) {
      if (m.role !== "tool") continue;
      const prev = (retry.messages as any[])
        .slice(0, i)
        .reverse()
        .find((x) => x.role === "assistant");
      expect(prev?.tool_calls?.map((c: any) => c.id)).toContain(m.tool_call_id);
    }
  });
});

describe("a ceiling learned from a 413", () => {
  it("is forgotten when a later turn's smallest request is over it, instead of failing with a made-up window", async () => {
    const ls = { toolCalls: [{ name: "fs_ls", arguments: "{}" }] };
    h = await startHarness({ script: [ls, ls, ls, { status: 413 }, { text: "a" }, { text: "b" }] });
    const first = await h.engine.runTurn("list the files");
    expect(first.status, first.error).toBe("success");
    const ceiling = h.engine.promptCeilings.get(h.arm.id)!;
    expect(ceiling).toBeGreaterThan(0);
    const second = await h.engine.runTurn(`now this: ${"word ".repeat(ceiling * 4)}`);
    expect(second.status, second.error).toBe("success");
    expect(h.engine.promptCeilings.has(h.arm.id)).toBe(false);
  });
});
