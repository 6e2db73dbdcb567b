import { describe, expect, it } from "vitest";
import { HeadTailBuffer } from "./output-buffer.ts";

describe("HeadTailBuffer", () => {
  it("keeps everything under the cap", () => {
    const b = new HeadTailBuffer(100);
    b.push(Buffer.from("hello "));
    b.push(Buffer.from("world"));
    expect(b.text()).toBe("hello world");
    expect(b.totalBytes).toBe(11);
  });

  it("keeps head and tail halves across many small chunks and counts the gap", () => {
    const b = new HeadTailBuffer(10);
    for (const c of "abcdefghijklmnopqrstuvwxyz") b.push(Buffer.from(c));
    expect(b.text()).toBe("abcde\n… 16 bytes omitted …\nvwxyz");
  });

  it("handles one chunk larger than the cap", () => {
    const b = new HeadTailBuffer(4);
    b.push(Buffer.from("0123456789"));
    expect(b.text()).toBe("01\n… 6 bytes omitted …\n89");
  });
});
