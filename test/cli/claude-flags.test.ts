import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";
import { streamLines, toolResults } from "../support/stream-json.ts";

/** Claude Code's print-mode flags on owlet, end to end against the scripted OpenAI-wire server. */

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const flags = (s: ScriptedServer) => [
  "--provider",
  "openai-compatible",
  "--base-url",
  s.baseURL,
  "--model",
  "m",
  "--no-two-stage",
  "--output-format",
  "stream-json",
];

describe("Claude Code's print-mode flags", () => {
  it("--max-budget-usd stops the turn once the priced spend reaches it: error_max_budget_usd, exit 1", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer([
      {
        toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }],
        usage: { prompt_tokens: 10_000, completion_tokens: 100 },
      },
      { text: "never reached" },
    ]);
    const config = join(repo, "priced.toml");
    await writeFile(
      config,
      [
        "[[arms]]",
        'id = "dear"',
        'provider = "openai-compatible"',
        'model = "dear-model"',
        `base_url = "${server.baseURL}"`,
        "price_input = 60",
        "price_output = 120",
        "",
      ].join("\n"),
    );
    const run = await runOwlet(
      [
        "-p",
        "what is in math.js?",
        "--config",
        config,
        "--output-format",
        "stream-json",
        "--max-budget-usd",
        "0.5",
      ],
      { cwd: repo },
    );
    expect(run.code, run.stderr).toBe(1);
    const result = streamLines(run.stdout).at(-1);
    // 10 000 prompt tokens at $60/M + 100 completion tokens at $120/M = $0.612
    expect(result).toMatchObject({
      type: "result",
      subtype: "error_max_budget_usd",
      is_error: true,
      owlet_status: "max_budget_usd",
      terminal_reason: "budget_exhausted",
    });
    expect(result.total_cost_usd).toBeCloseTo(0.612, 6);
    expect(server.requests.filter((r) => r.path.includes("chat/completions"))).toHaveLength(1);
  }, 60_000);

  it("--disallowedTools denies by Claude Code's rule syntax; --allowedTools allows without asking", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer([
      {
        toolCalls: [
          { name: "bash", arguments: JSON.stringify({ command: "node -e 'console.log(2+2)'" }) },
          { name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) },
        ],
      },
      { text: "done" },
    ]);
    const run = await runOwlet(
      [
        "-p",
        "run the tests",
        ...flags(server),
        "--allowedTools",
        "Bash(node -e:*)",
        "--disallowedTools",
        "Read",
      ],
      { cwd: repo },
    );
    const [bash, read] = toolResults(streamLines(run.stdout));
    // without a TTY an ask is a denial: the bash call ran only because of the allow rule
    expect(bash?.is_error, bash?.content).toBeUndefined();
    expect(bash?.content).toContain("4");
    expect(read?.is_error).toBe(true);
    expect(read?.content).toMatch(/denied by rule deny fs_read/);
  }, 60_000);

  it("refuses flag combinations Claude Code refuses, with exit 2 and a clear line", async () => {
    const repo = await fixtureRepo("repo-add");
    for (const [args, message] of [
      [["--input-format", "stream-json"], /--input-format stream-json needs --output-format stream-json/],
      [["--include-partial-messages"], /needs --output-format stream-json/],
      [["--permission-prompt-tool", "mcp__x__ask"], /stdio control protocol only/],
      [["--permission-mode", "yolo"], /--permission-mode yolo: use default/],
      [["--allowedTools", "Bash(npm"], /invalid tool rule "Bash\(npm"/],
    ] as const) {
      const run = await runOwlet(
        ["-p", "hi", "--provider", "openai-compatible", "--base-url", "http://127.0.0.1:9/v1", ...args],
        {
          cwd: repo,
        },
      );
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});
