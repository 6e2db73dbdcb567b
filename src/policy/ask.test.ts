import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatAskPrompt, noTtyAsker, permissionDeniedMessage, ttyAsker } from "./ask.ts";

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.on("data", (chunk) => {
    text += chunk.toString();
  });
  return () => text;
}

describe("ttyAsker", () => {
  it("prompts and accepts y / yes", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const written = collect(output);
    const ask = ttyAsker(input, output);
    const first = ask({ tool: "bash", summary: "npm test", reason: "auto mode" });
    input.write("y\n");
    expect(await first).toBe(true);
    expect(written()).toBe("Allow bash: npm test? [y/N] ");
    const second = ask({ tool: "bash", summary: "rm x", reason: "auto mode" });
    setTimeout(() => input.write("YES\n"), 5);
    expect(await second).toBe(true);
  });

  it("denies on anything else and on end of input", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const written = collect(output);
    const ask = ttyAsker(input, output);
    const no = ask({ tool: "fs_write", summary: "a.ts", reason: "r" });
    input.write("\n");
    expect(await no).toBe(false);
    const maybe = ask({
      tool: "fs_write",
      summary: "a.ts",
      reason: "r",
      warning: "touches a protected path (.env)",
    });
    setTimeout(() => input.write("sure\n"), 5);
    expect(await maybe).toBe(false);
    expect(written()).toContain("! touches a protected path (.env)\nAllow fs_write: a.ts? [y/N] ");
    const eof = ask({ tool: "bash", summary: "ls", reason: "r" });
    setTimeout(() => input.end(), 5);
    expect(await eof).toBe(false);
  });

  it("asks concurrent questions one at a time", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const written = collect(output);
    const ask = ttyAsker(input, output);
    const a = ask({ tool: "bash", summary: "one", reason: "r" });
    const b = ask({ tool: "bash", summary: "two", reason: "r" });
    await new Promise((r) => setTimeout(r, 5));
    expect(written()).toBe("Allow bash: one? [y/N] ");
    input.write("n\n");
    expect(await a).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    input.write("y\n");
    expect(await b).toBe(true);
    expect(written()).toBe("Allow bash: one? [y/N] Allow bash: two? [y/N] ");
  });
});

it("shortens long summaries to one line", () => {
  const prompt = formatAskPrompt({ tool: "bash", summary: `echo ${"x".repeat(500)}\nls`, reason: "r" });
  expect(prompt.length).toBeLessThan(230);
  expect(prompt).not.toContain("\n");
  expect(prompt.endsWith("…? [y/N] ")).toBe(true);
});

it("noTtyAsker always denies", async () => {
  expect(await noTtyAsker({ tool: "bash", summary: "ls", reason: "r" })).toBe(false);
});

it("builds denial messages", () => {
  expect(permissionDeniedMessage("bash", "the user declined", true)).toBe(
    "Permission denied for bash: the user declined. Do not retry the same call; try another approach or ask the user.",
  );
  const piped = permissionDeniedMessage("bash", "auto mode: bash is not read-only", false);
  expect(piped).toContain("no terminal to ask on");
  expect(piped).toContain("--permission-mode");
  const sensitive = permissionDeniedMessage(
    "fs_write",
    "touches a protected path (.env); this always needs explicit approval",
    false,
  );
  expect(sensitive).toContain("need interactive approval in every permission mode");
  expect(sensitive).not.toContain("bypass");
});
