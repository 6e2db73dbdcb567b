import { describe, expect, it } from "vitest";
import { EventChannel } from "./embedded-channel.ts";

describe("EventChannel", () => {
  it("yields items pushed before and while the work runs, in order", async () => {
    const channel = new EventChannel<number>();
    channel.push(1);
    const work = (async () => {
      await new Promise((r) => setTimeout(r, 5));
      channel.push(2);
      await new Promise((r) => setTimeout(r, 5));
      channel.push(3);
    })();
    const seen: number[] = [];
    for await (const n of channel.drain(work)) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("rethrows the work's failure after the queued items", async () => {
    const channel = new EventChannel<string>();
    const work = (async () => {
      channel.push("a");
      throw new Error("boom");
    })();
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const s of channel.drain(work)) seen.push(s);
      })(),
    ).rejects.toThrow("boom");
    expect(seen).toEqual(["a"]);
  });
});
