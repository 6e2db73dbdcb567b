import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFsGrepTool } from "../../src/tool/builtin/fs_grep.ts";
import { DEFAULT_TOOL_LIMITS } from "../../src/tool/builtin/index.ts";
import { OWLET_BIN } from "../support/fixture-repo.ts";
import { startScriptedServer } from "../support/scripted-server.ts";
import { attack, callThenAnswer, closeServers, workspace } from "./harness.ts";

afterEach(closeServers);

const REDOS = "^(?=a)(a+)+$";

function userConfig(home: string, toml: string): void {
  mkdirSync(join(home, "config", "owlet"), { recursive: true });
  writeFileSync(join(home, "config", "owlet", "config.toml"), toml);
}

describe("no hangs", () => {
  it("fs_grep's JS engine stops a catastrophically backtracking pattern at its deadline", async () => {
    const { repo } = await workspace();
    writeFileSync(join(repo, "a.txt"), `${"a".repeat(34)}b\n`);
    const grep = createFsGrepTool({ engine: "js", deadlineMs: 500 });
    const started = Date.now();
    const out = await grep.run(
      { pattern: REDOS, path: "a.txt" },
      { workspaceRoot: repo, limits: DEFAULT_TOOL_LIMITS, signal: new AbortController().signal },
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(out.isError).toBe(true);
    expect(out.output).toContain("backtrack");
  });

  it("Ctrl-C during a hanging regex search ends the run within 1 s (exit 130)", async () => {
    const { repo, home } = await workspace();
    writeFileSync(join(repo, "a.txt"), `${"a".repeat(40)}b\n`);
    const server = await startScriptedServer(callThenAnswer("fs_grep", { pattern: REDOS, path: "a.txt" }));
    try {
      const child = spawn(
        OWLET_BIN,
        ["-p", "search", "--provider", "openai-compatible", "--base-url", server.baseURL, "--model", "m"],
        {
          cwd: repo,
          env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, "config"), PATH: "/usr/bin:/bin" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      // The grep starts once the model's call arrived; give it a moment to be deep in the backtracking.
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (server.requests.some((r) => r.path.includes("chat"))) {
            clearInterval(poll);
            setTimeout(resolve, 700);
          }
        }, 50);
      });
      const sent = Date.now();
      child.kill("SIGINT");
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(Date.now() - sent).toBeLessThan(1_000);
      expect(code).toBe(130);
    } finally {
      await server.close();
    }
  });

  it("a server that accepts the connection and never answers fails after the first-byte timeout, retried once", async () => {
    const { repo, home } = await workspace();
    userConfig(home, "[engine]\nfirst_byte_timeout = 1\nfirst_byte_timeout_local = 1\n");
    const started = Date.now();
    const run = await attack({ repo, home, prompt: "hi", script: () => ({ text: "late", delayMs: 60_000 }) });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("no response from the model within 1 s");
    expect(run.requests.filter((r) => r.path.includes("chat"))).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("the turn's total time is bounded whatever the per-request timeouts", async () => {
    const { repo, home } = await workspace();
    userConfig(home, "[engine]\nfirst_byte_timeout = 30\nfirst_byte_timeout_local = 30\nturn_timeout = 2\n");
    const started = Date.now();
    const run = await attack({ repo, home, prompt: "hi", script: () => ({ text: "late", delayMs: 60_000 }) });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("time limit of 2 s");
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
