import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { UserError } from "./exit-codes.ts";
import { MAX_STDIN_BYTES, readPrompt } from "./read-prompt.ts";

const stdin = (text: string, isTTY = false) => Object.assign(Readable.from([Buffer.from(text)]), { isTTY });

describe("readPrompt", () => {
  it("joins -p and positional words", async () => {
    expect(await readPrompt("fix", ["the", "bug"], stdin("ignored"))).toBe("fix the bug");
  });

  it("takes stdin as the prompt when none is given", async () => {
    expect(await readPrompt(true, [], stdin("  from stdin\n"))).toBe("from stdin");
  });

  it("appends piped stdin after a given prompt", async () => {
    expect(await readPrompt("review this", [], stdin("diff text\n"), true)).toBe("review this\n\ndiff text");
  });

  it("does not read a non-piped stdin when a prompt is given", async () => {
    let read = false;
    const s = Object.assign(
      new Readable({
        read() {
          read = true;
          this.push(null);
        },
      }),
      { isTTY: false },
    );
    expect(await readPrompt("only this", [], s, false)).toBe("only this");
    expect(read).toBe(false);
  });

  it("never reads a terminal", async () => {
    await expect(readPrompt(true, [], stdin("typed", true), true)).rejects.toBeInstanceOf(UserError);
  });

  it("refuses stdin over the cap with a usage error", async () => {
    const big = stdin("x".repeat(MAX_STDIN_BYTES + 1));
    await expect(readPrompt("summarise", [], big, true)).rejects.toThrow(/MiB/);
  });
});
