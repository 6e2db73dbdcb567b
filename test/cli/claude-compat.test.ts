import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

/**
 * owlet's print mode against what real Claude Code printed for the same scripted 3-round task (round 1: a
 * sentence and a read of math.js, round 2: an edit, round 3: the answer), recorded by
 * test/support/record-claude-code.ts into test/fixtures/claude-code/. Values (ids, timings, tool names, token
 * counts) differ; the sequence of message kinds, their keys, content block types and the result's subtype must
 * match. Keys Claude Code emits for features owlet does not have are listed in CLAUDE_ONLY, each with why.
 */

const FIXTURES = fileURLToPath(new URL("../fixtures/claude-code/", import.meta.url));

/** Keys of Claude Code's lines that owlet leaves out, by message kind, and why. */
const CLAUDE_ONLY: Record<string, Record<string, string>> = {
  "system/init": {
    memory_paths: "Claude Code's auto-memory folders",
    messaging_socket_path: "Claude Code's inter-session socket",
    terminal_slash_commands: "owlet has no slash commands",
    fast_mode_state: "Claude Code's fast mode",
    fast_mode_disabled_reason: "Claude Code's fast mode",
    per_turn_effort_active: "Claude Code's effort setting",
    ultrathink_available: "Claude Code's ultrathink keyword",
    ultrathink_typed_raises: "Claude Code's ultrathink keyword",
  },
  assistant: { request_id: "owlet does not see the provider's request id" },
  user: {},
  "result/success": {
    fast_mode_state: "Claude Code's fast mode",
    fast_mode_disabled_reason: "Claude Code's fast mode",
    subagent_stats: "owlet has no subagents yet",
    safety_stops: "Claude Code's safety classifier",
    time_to_request_ms: "Claude Code's request timing breakdown",
    ttft_stream_ms: "Claude Code's request timing breakdown",
    first_content_frame_ms: "Claude Code's remote-session frames",
  },
  stream_event: { thinking_display: "Claude Code's thinking display setting" },
  "system/status": {},
};

function lines(text: string): any[] {
  return text
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** A line's kind: `type/subtype` for system and result lines, `stream_event/<event type>`, else the type. */
function kind(line: any): string {
  if (line.type === "system" || line.type === "result") return `${line.type}/${line.subtype}`;
  if (line.type === "stream_event") return `stream_event/${line.event.type}`;
  if (line.type === "assistant" || line.type === "user")
    return `${line.type}:${line.message.content.map((b: any) => b.type).join(",")}`;
  return line.type;
}

/** Claude Code's kinds only: owlet's own system subtypes (routing, round_start, …) are extra lines. */
const OWLET_SYSTEM = new Set([
  "routing",
  "round_start",
  "usage",
  "early_stop",
  "failover",
  "warning",
  "compaction",
]);
const claudeKinds = (ls: any[]) =>
  ls.filter((l) => !(l.type === "system" && OWLET_SYSTEM.has(l.subtype))).map(kind);

function keysMissing(claude: any, owlet: any, allowed: Record<string, string>): string[] {
  return Object.keys(claude).filter((k) => !(k in owlet) && !(k in allowed));
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The same task for owlet: the OpenAI-wire scripted server answers as the Anthropic-wire one did for Claude Code. */
async function runTask(extra: string[]) {
  const repo = await fixtureRepo("repo-add");
  server = await startScriptedServer([
    {
      text: "Let me read math.js.",
      toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }],
    },
    {
      toolCalls: [
        {
          name: "fs_edit",
          arguments: JSON.stringify({
            path: "math.js",
            old_string: "return a - b;",
            new_string: "return a + b;",
          }),
        },
      ],
    },
    { text: ["Fixed: add ", "now returns a + b."] },
  ]);
  const run = await runOwlet(
    [
      "-p",
      "Fix the bug in math.js",
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "m",
      "--no-two-stage",
      "--permission-mode",
      "acceptEdits",
      ...extra,
    ],
    { cwd: repo },
  );
  return { run, repo };
}

describe("Claude Code compatible print mode", () => {
  it("stream-json: the same message kinds, keys and result subtype as Claude Code for a 3-round task", async () => {
    const claude = lines(readFileSync(`${FIXTURES}stream-json.jsonl`, "utf8"));
    const { run, repo } = await runTask(["--output-format", "stream-json", "--verbose"]);
    expect(run.code, run.stderr).toBe(0);
    const owlet = lines(run.stdout);
    expect(claudeKinds(owlet)).toEqual(claudeKinds(claude));
    // every line of a kind carries Claude Code's keys for it
    for (const [i, c] of claude.entries()) {
      const o = owlet.filter((l) => !(l.type === "system" && OWLET_SYSTEM.has(l.subtype)))[i];
      const k = kind(c).split(":")[0]!;
      expect(keysMissing(c, o, CLAUDE_ONLY[k] ?? {}), k).toEqual([]);
      if (c.message) {
        expect(keysMissing(c.message, o.message, {}), `${k}.message`).toEqual([]);
        for (const [j, b] of c.message.content.entries())
          expect(Object.keys(o.message.content[j]).sort(), `${k} block`).toEqual(Object.keys(b).sort());
      }
      if (c.type === "result")
        expect(Object.keys(o.usage)).toEqual(expect.arrayContaining(["input_tokens", "output_tokens"]));
    }
    const result = owlet.at(-1);
    expect(result).toMatchObject({
      type: "result",
      subtype: "success",
      is_error: false,
      num_turns: 3,
      result: "Fixed: add now returns a + b.",
      owlet_status: "success",
      permission_denials: [],
    });
    expect(result.session_id).toBe(owlet[0].session_id);
    expect(result.usage.input_tokens).toBeGreaterThan(0);
    // the tool_use ids of the assistant messages are answered by the user messages' tool_result blocks
    const uses = owlet
      .filter((l) => l.type === "assistant")
      .flatMap((l) => l.message.content)
      .filter((b: any) => b.type === "tool_use");
    const answered = owlet
      .filter((l) => l.type === "user")
      .flatMap((l) => l.message.content)
      .map((b: any) => b.tool_use_id);
    expect(answered).toEqual(uses.map((u: any) => u.id));
    expect(uses.map((u: any) => u.name)).toEqual(["fs_read", "fs_edit"]);
    expect(readFileSync(`${repo}/math.js`, "utf8")).toContain("return a + b;");
    // owlet's own events are still there, as system subtypes
    expect(owlet.filter((l) => l.subtype === "round_start")).toHaveLength(3);
    expect(owlet.find((l) => l.subtype === "routing")).toMatchObject({
      provider: "openai-compatible",
      model: "m",
    });
  }, 60_000);

  it("--include-partial-messages: stream_event lines in Claude Code's order", async () => {
    const claude = lines(readFileSync(`${FIXTURES}stream-json-partial.jsonl`, "utf8"));
    const { run } = await runTask([
      "--output-format",
      "stream-json",
      "--verbose",
      "--include-partial-messages",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const owlet = lines(run.stdout);
    expect(claudeKinds(owlet)).toEqual(claudeKinds(claude));
    for (const [i, c] of claude.entries()) {
      if (c.type !== "stream_event") continue;
      const o = owlet.filter((l) => !(l.type === "system" && OWLET_SYSTEM.has(l.subtype)))[i];
      expect(keysMissing(c, o, CLAUDE_ONLY.stream_event!), kind(c)).toEqual([]);
      expect(Object.keys(o.event).sort(), kind(c)).toEqual(Object.keys(c.event).sort());
    }
  }, 60_000);

  it("json: Claude Code's single result object; with --verbose the array of every message", async () => {
    const claude = JSON.parse(readFileSync(`${FIXTURES}json.json`, "utf8"));
    const { run } = await runTask(["--output-format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const owlet = JSON.parse(run.stdout);
    expect(keysMissing(claude, owlet, CLAUDE_ONLY["result/success"]!)).toEqual([]);
    expect(owlet).toMatchObject({ type: "result", subtype: "success", num_turns: 3 });

    const claudeAll = JSON.parse(readFileSync(`${FIXTURES}json-verbose.json`, "utf8"));
    const verbose = await runTask(["--output-format", "json", "--verbose"]);
    const all = JSON.parse(verbose.run.stdout);
    expect(Array.isArray(all)).toBe(true);
    expect(claudeKinds(all)).toEqual(claudeKinds(claudeAll));
  }, 60_000);
});
