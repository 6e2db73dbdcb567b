/**
 * Records what real Claude Code prints in print mode for a scripted 3-round task, as the fixtures
 * test/fixtures/claude-code/*.jsonl that test/cli/claude-compat.test.ts compares owlet's output with.
 *
 * Claude Code is the native binary of `@anthropic-ai/claude-agent-sdk`'s platform package (the same file as
 * `@anthropic-ai/claude-code`'s, byte for byte, at the pinned version), pointed at the Anthropic-wire scripted
 * server (test/support/anthropic-scripted-server.ts) with ANTHROPIC_BASE_URL and a dummy key, with an isolated
 * HOME and nonessential traffic off. Run it inside a network namespace that has only loopback, so nothing it
 * does can leave the machine:
 *
 *   unshare -n sh -c 'ip link set lo up && node test/support/record-claude-code.ts'
 *
 * The task (fixture repo-add): round 1 Read math.js, round 2 Edit it (`a - b` → `a + b`), round 3 the answer.
 * Writes stream-json.jsonl, stream-json-partial.jsonl (--include-partial-messages), json.json and
 * json-verbose.json, each with the Claude Code version in meta.json.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AnthropicRecordedRequest, startAnthropicScriptedServer } from "./anthropic-scripted-server.ts";
import { fixtureRepo } from "./fixture-repo.ts";

const OUT = fileURLToPath(new URL("../fixtures/claude-code/", import.meta.url));

/** Path of the Claude Code binary shipped with the agent SDK. */
export function claudeBinary(): string {
  const require = createRequire(import.meta.url);
  return require.resolve(`@anthropic-ai/claude-agent-sdk-linux-x64/claude`);
}

/** The main loop's requests carry the tool list; anything else (titles, summaries) gets a short text. */
function script(repo: string) {
  return (req: AnthropicRecordedRequest) => {
    const tools: { name: string }[] = req.body?.tools ?? [];
    if (!tools.some((t) => t.name === "Read")) return { content: [{ type: "text" as const, text: "ok" }] };
    const results = (req.body.messages as { content: unknown }[])
      .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
      .filter((b: any) => b?.type === "tool_result").length;
    const path = join(repo, "math.js");
    if (results === 0)
      return {
        content: [
          { type: "text" as const, text: "Let me read math.js." },
          { type: "tool_use" as const, name: "Read", input: { file_path: path } },
        ],
      };
    if (results === 1)
      return {
        content: [
          {
            type: "tool_use" as const,
            name: "Edit",
            input: { file_path: path, old_string: "return a - b;", new_string: "return a + b;" },
          },
        ],
      };
    return { content: [{ type: "text" as const, text: ["Fixed: add ", "now returns a + b."] }] };
  };
}

async function record(extra: string[]): Promise<string> {
  const repo = await fixtureRepo("repo-add");
  const server = await startAnthropicScriptedServer(script(repo));
  const home = mkdtempSync(join(tmpdir(), "cc-home-"));
  try {
    const child = spawn(
      claudeBinary(),
      [
        "-p",
        "Fix the bug in math.js",
        "--model",
        "claude-sonnet-4-5",
        "--permission-mode",
        "acceptEdits",
        ...extra,
      ],
      {
        cwd: repo,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          PATH: process.env.PATH,
          HOME: home,
          ANTHROPIC_BASE_URL: server.baseURL,
          ANTHROPIC_API_KEY: "sk-ant-dummy-for-recording",
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
          DISABLE_AUTOUPDATER: "1",
          DISABLE_TELEMETRY: "1",
          DISABLE_ERROR_REPORTING: "1",
        },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) process.stderr.write(`claude exited ${code}: ${err}\n`);
    // Paths of this machine's temp dirs are not part of the shape; keep the fixture stable.
    const encoded = repo.replace(/[^A-Za-z0-9]/g, "-");
    return out
      .split(repo)
      .join("/work/repo")
      .split(home)
      .join("/home/user")
      .split(encoded)
      .join("-work-repo");
  } finally {
    await server.close();
  }
}

mkdirSync(OUT, { recursive: true });
const version = execFileSync(claudeBinary(), ["--version"], { encoding: "utf8" }).trim();
writeFileSync(
  join(OUT, "meta.json"),
  `${JSON.stringify({ claude_code: version, task: "repo-add, 3 rounds: Read, Edit, answer" }, null, 2)}\n`,
);
writeFileSync(join(OUT, "stream-json.jsonl"), await record(["--output-format", "stream-json", "--verbose"]));
writeFileSync(
  join(OUT, "stream-json-partial.jsonl"),
  await record(["--output-format", "stream-json", "--verbose", "--include-partial-messages"]),
);
writeFileSync(join(OUT, "json.json"), await record(["--output-format", "json"]));
writeFileSync(join(OUT, "json-verbose.json"), await record(["--output-format", "json", "--verbose"]));
