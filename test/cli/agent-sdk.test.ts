import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { query, type SDKMessage, type SDKUserMessage } from "@anthropic-ai/claude-agent-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo, OWLET_BIN } from "../support/fixture-repo.ts";
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

/**
 * A real Claude Code client drives owlet: `@anthropic-ai/claude-agent-sdk`'s query() spawns bin/owlet (its
 * `pathToClaudeCodeExecutable` option) with the flags it gives Claude Code (`--output-format stream-json --verbose
 * --input-format stream-json`, `--permission-prompt-tool=stdio` for canUseTool, `--max-turns`, `--allowedTools`
 * …), speaks the control protocol on stdin/stdout (initialize, can_use_tool, interrupt) and reads the messages.
 * The model is the scripted OpenAI-wire server; owlet-only flags reach owlet through the SDK's `extraArgs`.
 */

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: ScriptedReply[]) {
  const repo = await fixtureRepo("repo-add");
  server = await startScriptedServer(script);
  const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
  };
  const options = {
    pathToClaudeCodeExecutable: OWLET_BIN,
    cwd: repo,
    env,
    model: "m",
    extraArgs: { provider: "openai-compatible", "base-url": server.baseURL, "no-two-stage": null },
  };
  return { repo, options };
}

async function collect(q: AsyncIterable<SDKMessage>): Promise<SDKMessage[]> {
  const out: SDKMessage[] = [];
  for await (const m of q) out.push(m);
  return out;
}

/** The messages up to the error the SDK raises after an error result (the executable exits 1, as Claude Code). */
async function collectUntilError(
  q: AsyncIterable<SDKMessage>,
): Promise<{ messages: SDKMessage[]; error?: Error }> {
  const messages: SDKMessage[] = [];
  try {
    for await (const m of q) messages.push(m);
    return { messages };
  } catch (error) {
    return { messages, error: error as Error };
  }
}

const bashCall = (command: string): ScriptedReply => ({
  toolCalls: [{ name: "bash", arguments: JSON.stringify({ command }) }],
});

describe("the Claude Agent SDK driving owlet", () => {
  it("runs a conversation with a tool call: init, tool_use, a can_use_tool prompt, tool_result, result", async () => {
    const { repo, options } = await setup([
      bashCall("node -e 'console.log(6*7)'"),
      { text: "it printed 42" },
    ]);
    const asked: { name: string; input: Record<string, unknown>; toolUseID: string | undefined }[] = [];
    const messages = await collect(
      query({
        prompt: "what does 6*7 print?",
        options: {
          ...options,
          maxTurns: 5,
          systemPrompt: { type: "preset", preset: "claude_code", append: "Answer in one line." },
          canUseTool: async (name, input, ctx) => {
            asked.push({ name, input, toolUseID: ctx.toolUseID });
            return { behavior: "allow", updatedInput: input };
          },
        },
      }),
    );
    const init = messages.find((m) => m.type === "system" && m.subtype === "init");
    expect(init).toMatchObject({ cwd: repo, model: "m", permissionMode: "default" });
    const sessionId = (init as { session_id: string }).session_id;
    const assistant = messages.filter((m) => m.type === "assistant");
    const toolUse = assistant.flatMap((m) => m.message.content).find((b) => b.type === "tool_use");
    expect(toolUse).toMatchObject({ name: "bash", input: { command: "node -e 'console.log(6*7)'" } });
    // the permission prompt went to the SDK's canUseTool, naming the call
    expect(asked).toEqual([
      {
        name: "bash",
        input: { command: "node -e 'console.log(6*7)'" },
        toolUseID: (toolUse as { id: string }).id,
      },
    ]);
    const user = messages.find((m): m is SDKUserMessage => m.type === "user");
    const block = (
      (user?.message.content ?? []) as { type: string; content: string; tool_use_id: string }[]
    )[0];
    expect(block).toMatchObject({ type: "tool_result", tool_use_id: (toolUse as { id: string }).id });
    expect(block?.content).toContain("42");
    const result = messages.at(-1);
    expect(result).toMatchObject({
      type: "result",
      subtype: "success",
      is_error: false,
      num_turns: 2,
      result: "it printed 42",
      session_id: sessionId,
      permission_denials: [],
    });
    // initialize's appendSystemPrompt reached the model's system prompt
    const system = server!.requests.at(-1)!.body.messages[0];
    expect(system.role).toBe("system");
    expect(system.content).toContain("Answer in one line.");
    // the session is owlet's, on disk, under the id the SDK saw
    expect(readFileSync(join(repo, ".owlet", "sessions", `${sessionId}.jsonl`), "utf8")).toContain("42");
  }, 60_000);

  it("a denial from canUseTool is the tool's error result and a permission denial in the result", async () => {
    const { options } = await setup([bashCall("rm -rf build"), { text: "could not clean" }]);
    const { messages, error } = await collectUntilError(
      query({
        prompt: "clean the build",
        options: { ...options, canUseTool: async () => ({ behavior: "deny", message: "not now" }) },
      }),
    );
    // owlet's status is an error (exit 1): the SDK raises the result's error text after the messages
    expect(error?.message).toMatch(/error result: .*1 tool call was denied \(bash\)/);
    const user = messages.find((m): m is SDKUserMessage => m.type === "user");
    const block = ((user?.message.content ?? []) as { is_error?: boolean; content: string }[])[0];
    expect(block?.is_error).toBe(true);
    const result = messages.at(-1) as Record<string, any>;
    expect(result).toMatchObject({ type: "result", is_error: true, owlet_status: "permission_denied" });
    expect(result.permission_denials).toEqual([
      { tool_name: "bash", tool_use_id: expect.any(String), tool_input: { command: "rm -rf build" } },
    ]);
  }, 60_000);

  it("streaming input: two user messages are two turns of one session; allowedTools skip the prompt", async () => {
    const { options } = await setup([
      { text: "first answer" },
      bashCall("node -e 'console.log(1)'"),
      { text: "second answer" },
    ]);
    let release: () => void = () => {};
    const firstDone = new Promise<void>((resolve) => (release = resolve));
    async function* prompts(): AsyncGenerator<SDKUserMessage> {
      yield {
        type: "user",
        message: { role: "user", content: "one" },
        parent_tool_use_id: null,
      } as SDKUserMessage;
      await firstDone;
      yield {
        type: "user",
        message: { role: "user", content: "two" },
        parent_tool_use_id: null,
      } as SDKUserMessage;
    }
    const asked: string[] = [];
    const q = query({
      prompt: prompts(),
      options: {
        ...options,
        allowedTools: ["Bash(node -e:*)"],
        canUseTool: async (name) => {
          asked.push(name);
          return { behavior: "deny", message: "no" };
        },
      },
    });
    const results: Record<string, any>[] = [];
    for await (const m of q) {
      if (m.type !== "result") continue;
      results.push(m);
      if (results.length === 1) release();
      else break;
    }
    expect(results.map((r) => r.result)).toEqual(["first answer", "second answer"]);
    expect(results[1]!.session_id).toBe(results[0]!.session_id);
    expect(results.map((r) => r.is_error)).toEqual([false, false]);
    // Bash(node -e:*) became an allow rule: the call ran without a prompt
    expect(asked).toEqual([]);
    // the second turn's request carried the first turn's exchange
    const last = server!.requests.at(-1)!.body.messages as { role: string; content: string }[];
    expect(last.some((m) => m.role === "assistant" && m.content === "first answer")).toBe(true);
  }, 60_000);

  it("interrupt() stops a running turn", async () => {
    const { options } = await setup([
      { text: Array.from({ length: 100 }, (_, i) => `w${i} `), chunkDelayMs: 50 },
    ]);
    const q = query({ prompt: "write a lot", options: { ...options, includePartialMessages: true } });
    let interrupted = false;
    let result: Record<string, any> | undefined;
    for await (const m of q) {
      if (m.type === "stream_event" && !interrupted) {
        interrupted = true;
        await q.interrupt();
      }
      if (m.type === "result") {
        result = m;
        break;
      }
    }
    expect(result).toMatchObject({ type: "result", is_error: true, owlet_status: "aborted" });
  }, 60_000);
});
