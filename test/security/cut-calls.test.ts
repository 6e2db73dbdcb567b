import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { attack, callThenAnswer, closeServers, toolResultsSent, workspace } from "./harness.ts";

afterEach(closeServers);

describe("a tool call from a cut-off response never runs (bypass mode)", () => {
  it("a bash call cut at the length limit is not repaired and run; the model is told to send a shorter one", async () => {
    const { repo, home } = await workspace();
    const run = await attack({
      repo,
      home,
      mode: "bypass",
      prompt: "clean up",
      script: callThenAnswer("bash", '{"command": "touch cut-marker && rm -rf build', {
        finishReason: "length",
      }),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(repo, "cut-marker"))).toBe(false);
    const [result] = toolResultsSent(run.requests);
    expect(result).toContain("cut off");
    expect(result).toContain("shorter");
  });

  it("a truncated fs_write does not replace a file with its first lines", async () => {
    const { repo, home } = await workspace();
    const before = readFileSync(join(repo, "math.js"), "utf8");
    const run = await attack({
      repo,
      home,
      mode: "bypass",
      prompt: "rewrite math.js",
      // Read first, so read-before-write would let a complete write through: only the cut stops this one.
      script: [
        { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }] },
        ...callThenAnswer("fs_write", '{"path": "math.js", "content": "// first line\\n// second', {
          finishReason: "length",
        }),
      ],
    });
    // The rewrite never happened, so the turn is not a success: no_changes, exit 1.
    expect(run.code, run.stderr).toBe(1);
    expect(readFileSync(join(repo, "math.js"), "utf8")).toBe(before);
    expect(toolResultsSent(run.requests)[1]).toContain("cut off");
  });

  it("a complete call that finished with the length limit is not run either", async () => {
    const { repo, home } = await workspace();
    const run = await attack({
      repo,
      home,
      mode: "bypass",
      prompt: "x",
      script: callThenAnswer("bash", { command: "touch complete-but-cut" }, { finishReason: "length" }),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(repo, "complete-but-cut"))).toBe(false);
  });
});
