import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../engine/events.ts";
import { EventHub } from "./events.ts";

describe("EventHub", () => {
  it("delivers every event to each listener in order, until it unsubscribes", () => {
    const hub = new EventHub();
    const a: string[] = [];
    const b: string[] = [];
    const offA = hub.subscribe((e) => a.push(e.type));
    hub.subscribe((e) => b.push(e.type));
    const delta: EngineEvent = { type: "text_delta", text: "hi" };
    hub.emit(delta);
    offA();
    offA();
    hub.emit({ type: "reasoning_delta", text: "hm" });
    expect(a).toEqual(["text_delta"]);
    expect(b).toEqual(["text_delta", "reasoning_delta"]);
  });
});
