import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import {
  type ClientContext,
  client,
  ndJsonStream,
  type RequestPermissionRequest,
  type SessionNotification,
  type SessionUpdate,
} from "@agentclientprotocol/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { probeSandbox } from "../../src/tool/sandbox/probe.ts";
import { fixtureRepo, OWLET_BIN } from "../support/fixture-repo.ts";
import { type Script, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

/**
 * `owlet acp` as a child process, driven by the ACP SDK's client side (`client()` app over ndJsonStream, what an
 * editor uses) against the scripted OpenAI-wire model server: prompts with streamed updates, permission requests,
 * file reads and writes through the client (its unsaved buffer), cancel, and session/load of a stored session.
 */

let server: ScriptedServer | undefined;
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  await server?.close();
  server = undefined;
});

/** What the test's editor does: its buffers, its answers to permission requests, what it was sent. */
interface Editor {
  /** Commands the editor ran in its terminals (argv). */
  terminals: string[][];
  buffers: Map<string, string>;
  writes: { path: string; content: string }[];
  permissions: RequestPermissionRequest[];
  updates: SessionNotification[];
  answer: (req: RequestPermissionRequest) => string | "cancelled";
}

function startAgent(home: string, cwd: string, url: string): ChildProcessWithoutNullStreams {
  const child = spawn(
    OWLET_BIN,
    ["acp", "--provider", "openai-compatible", "--base-url", url, "--model", "m", "--no-two-stage"],
    {
      cwd,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.push(child);
  return child;
}

/** Connects an ACP client app with `editor`'s handlers to `child` and runs `op` with the agent side. */
async function withEditor<T>(
  child: ChildProcessWithoutNullStreams,
  editor: Editor,
  op: (agent: ClientContext) => Promise<T>,
): Promise<T> {
  const terminals = new Map<
    string,
    {
      output: string;
      exit: Promise<{ exitCode: number | null; signal: string | null }>;
      proc: ReturnType<typeof spawn>;
    }
  >();
  const app = client({ name: "test-editor" })
    .onNotification("session/update", ({ params }) => {
      editor.updates.push(params);
    })
    .onRequest("session/request_permission", ({ params }) => {
      editor.permissions.push(params);
      const choice = editor.answer(params);
      return {
        outcome:
          choice === "cancelled" ? { outcome: "cancelled" } : { outcome: "selected", optionId: choice },
      };
    })
    .onRequest("fs/read_text_file", ({ params }) => ({
      content: editor.buffers.get(params.path) ?? readFileSync(params.path, "utf8"),
    }))
    .onRequest("terminal/create", ({ params }) => {
      // as an editor does: a real process in its own environment (which holds a secret the command must not see)
      const argv = [params.command, ...(params.args ?? [])];
      editor.terminals.push(argv);
      const proc = spawn(params.command, params.args ?? [], {
        cwd: params.cwd ?? undefined,
        env: { ...process.env, EDITOR_SECRET_TOKEN: "editor-secret-value" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const t = {
        output: "",
        exit: new Promise<{ exitCode: number | null; signal: string | null }>((resolve) =>
          proc.on("close", (code, sig) => resolve({ exitCode: code, signal: sig })),
        ),
        proc,
      };
      proc.stdout.on("data", (d) => (t.output += d));
      proc.stderr.on("data", (d) => (t.output += d));
      const id = `term-${editor.terminals.length}`;
      terminals.set(id, t);
      return { terminalId: id };
    })
    .onRequest("terminal/output", ({ params }) => ({
      output: terminals.get(params.terminalId)!.output,
      truncated: false,
    }))
    .onRequest("terminal/wait_for_exit", async ({ params }) => terminals.get(params.terminalId)!.exit)
    .onRequest("terminal/kill", ({ params }) => {
      terminals.get(params.terminalId)?.proc.kill("SIGKILL");
      return {};
    })
    .onRequest("terminal/release", ({ params }) => {
      terminals.get(params.terminalId)?.proc.kill("SIGKILL");
      terminals.delete(params.terminalId);
      return {};
    })
    .onRequest("fs/write_text_file", ({ params }) => {
      editor.writes.push({ path: params.path, content: params.content });
      editor.buffers.set(params.path, params.content);
      writeFileSync(params.path, params.content); // the editor saves, so the tests see it
      return {};
    });
  const stream = ndJsonStream(
    Writable.toWeb(child.stdin) as WritableStream<Uint8Array>,
    Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>,
  );
  return app.connectWith(stream, op);
}

const newEditor = (answer: Editor["answer"] = () => "allow_once"): Editor => ({
  terminals: [],
  buffers: new Map(),
  writes: [],
  permissions: [],
  updates: [],
  answer,
});

const kinds = (updates: SessionNotification[]) => updates.map((u) => u.update.sessionUpdate);
const ofKind = <K extends SessionUpdate["sessionUpdate"]>(updates: SessionNotification[], kind: K) =>
  updates
    .map((u) => u.update)
    .filter((u): u is Extract<SessionUpdate, { sessionUpdate: K }> => u.sessionUpdate === kind);

async function setup(script: Script) {
  const repo = await fixtureRepo("repo-add");
  server = await startScriptedServer(script);
  const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
  return { repo, home, url: server.baseURL };
}

const initialize = (agent: ClientContext, fs = true, terminal = false) =>
  agent.request("initialize", {
    protocolVersion: 1,
    clientCapabilities: { fs: { readTextFile: fs, writeTextFile: fs }, terminal },
  });

describe("owlet acp", () => {
  it("a prompt streams message chunks, tool calls with a diff and a plan; asks go to the editor; files go through its buffers", async () => {
    const { repo, home, url } = await setup([
      {
        text: ["Reading ", "math.js."],
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
      { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "node test.js" }) }] },
      { text: "Fixed add." },
    ]);
    const mathPath = join(repo, "math.js");
    const editor = newEditor();
    // an unsaved change in the editor: owlet must read this, not the disk
    editor.buffers.set(mathPath, `// unsaved note from the editor\n${readFileSync(mathPath, "utf8")}`);
    const child = startAgent(home, repo, url);
    const result = await withEditor(child, editor, async (agent) => {
      const init = await initialize(agent);
      expect(init.agentCapabilities?.loadSession).toBe(true);
      const created = await agent.request("session/new", { cwd: repo, mcpServers: [] });
      expect(created.modes?.currentModeId).toBe("auto");
      const response = await agent.request("session/prompt", {
        sessionId: created.sessionId,
        prompt: [{ type: "text", text: "fix the bug in math.js" }],
      });
      return { response, sessionId: created.sessionId };
    });
    expect(result.response.stopReason).toBe("end_turn");
    expect(result.response._meta).toMatchObject({ owlet: { status: "success" } });
    const updates = editor.updates.filter((u) => u.sessionId === result.sessionId);
    // streamed text, in chunks as it arrived (the first reply was sent as two)
    const chunks = ofKind(updates, "agent_message_chunk").map((u) => (u.content as { text: string }).text);
    expect(chunks.join("")).toBe("Reading math.js.Fixed add.");
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    // each call announced, then its outcome; the edit carries its diff
    const calls = ofKind(updates, "tool_call");
    expect(calls.map((c) => [c.title, c.kind])).toEqual([
      ["fs_read math.js", "read"],
      ["fs_edit math.js", "edit"],
      ["bash: node test.js", "execute"],
    ]);
    expect(calls[0]?.locations).toEqual([{ path: mathPath }]);
    const done = ofKind(updates, "tool_call_update");
    expect(done.map((d) => d.status)).toEqual(["completed", "completed", "completed"]);
    expect(done[1]?.content?.[0]).toEqual({
      type: "diff",
      path: mathPath,
      oldText: "return a - b;",
      newText: "return a + b;",
    });
    // the plan of a change: read, change, check — all done by the end
    const plans = ofKind(updates, "plan");
    expect(plans.length).toBeGreaterThanOrEqual(3);
    expect(plans.at(-1)?.entries.map((e) => e.status)).toEqual(["completed", "completed", "completed"]);
    // asks (auto mode: edits and commands ask) went to the editor, naming the call
    expect(editor.permissions.map((p) => p.toolCall.title)).toEqual([
      "fs_edit math.js",
      "bash: node test.js",
    ]);
    expect(editor.permissions[0]?.toolCall.toolCallId).toBe(calls[1]?.toolCallId);
    expect(editor.permissions[0]?.options.map((o) => o.kind)).toEqual([
      "allow_once",
      "allow_always",
      "reject_once",
    ]);
    // the read saw the editor's unsaved buffer, and the write went through the editor
    const sent = JSON.stringify(server!.requests.at(-1)!.body.messages);
    expect(sent).toContain("unsaved note from the editor");
    expect(editor.writes).toHaveLength(1);
    expect(editor.writes[0]?.content).toContain("// unsaved note from the editor\n");
    expect(editor.writes[0]?.content).toContain("return a + b;");
    // order: the chunks and tool updates arrive before the prompt's response, in the order they happened
    expect(kinds(updates).indexOf("tool_call")).toBeGreaterThan(
      kinds(updates).indexOf("agent_message_chunk"),
    );
  }, 90_000);

  it("a rejected ask is a failed tool call; session/cancel ends a running prompt as cancelled", async () => {
    const { repo, home, url } = await setup((_req, i) => {
      if (i === 0)
        return { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "rm -rf build" }) }] };
      if (i === 1) return { text: "ok, not removing it" };
      return { text: Array.from({ length: 200 }, (_, k) => `w${k} `), chunkDelayMs: 40 };
    });
    const editor = newEditor(() => "reject_once");
    const child = startAgent(home, repo, url);
    const { first, second } = await withEditor(child, editor, async (agent) => {
      await initialize(agent, false);
      const { sessionId } = await agent.request("session/new", { cwd: repo, mcpServers: [] });
      const first = await agent.request("session/prompt", {
        sessionId,
        prompt: [{ type: "text", text: "clean up" }],
      });
      const running = agent.request("session/prompt", {
        sessionId,
        prompt: [{ type: "text", text: "write a story" }],
      });
      // cancel once the second turn has streamed something
      for (let i = 0; i < 100 && ofKind(editor.updates, "agent_message_chunk").length < 3; i++)
        await new Promise((r) => setTimeout(r, 50));
      await agent.notify("session/cancel", { sessionId });
      return { first, second: await running };
    });
    expect(editor.permissions).toHaveLength(1);
    const failed = ofKind(editor.updates, "tool_call_update")[0];
    expect(failed?.status).toBe("failed");
    expect(first.stopReason).toBe("end_turn");
    expect(first._meta).toMatchObject({ owlet: { status: "permission_denied" } });
    expect(second.stopReason).toBe("cancelled");
  }, 90_000);

  it("with the editor's terminal, bash runs there: owlet's argv under env -i, attached to the tool call", async () => {
    const { repo, home, url } = await setup([
      {
        toolCalls: [
          {
            name: "bash",
            arguments: JSON.stringify({
              command: `echo "token=$\{EDITOR_SECRET_TOKEN:-none}"; node -e "console.log(6*7)"`,
            }),
          },
        ],
      },
      { text: "done" },
    ]);
    const editor = newEditor();
    const child = startAgent(home, repo, url);
    const response = await withEditor(child, editor, async (agent) => {
      await initialize(agent, false, true);
      const { sessionId } = await agent.request("session/new", { cwd: repo, mcpServers: [] });
      await agent.request("session/set_mode", { sessionId, modeId: "bypass" });
      return agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text: "print 6*7" }] });
    });
    expect(response.stopReason).toBe("end_turn");
    expect(editor.terminals).toHaveLength(1);
    expect(editor.terminals[0]!.slice(0, 2)).toEqual(["env", "-i"]);
    // the sandbox is the same as when owlet spawns bash itself
    if ((await probeSandbox()).ok) expect(editor.terminals[0]).toContain("bwrap");
    const updates = ofKind(editor.updates, "tool_call_update");
    const attached = updates.find((u) => u.content?.[0]?.type === "terminal");
    expect(attached?.status).toBe("in_progress");
    const done = updates.at(-1);
    expect(done?.status).toBe("completed");
    const text = (done?.content?.at(-1) as { content?: { text?: string } } | undefined)?.content?.text ?? "";
    // the editor's environment did not reach the command; its output came back through the terminal
    expect(text).toContain("token=none");
    expect(text).toContain("42");
  }, 90_000);

  it("session/load replays a stored session and continues it in a new process", async () => {
    const { repo, home, url } = await setup([
      { text: "math.js adds and multiplies." },
      { text: "It has two functions." },
    ]);
    const child = startAgent(home, repo, url);
    const sessionId = await withEditor(child, newEditor(), async (agent) => {
      await initialize(agent);
      const { sessionId } = await agent.request("session/new", { cwd: repo, mcpServers: [] });
      await agent.request("session/prompt", {
        sessionId,
        prompt: [{ type: "text", text: "what is math.js?" }],
      });
      return sessionId;
    });
    child.stdin.end();
    await new Promise((r) => child.once("close", r));
    expect(sessionId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);

    const editor = newEditor();
    const again = startAgent(home, repo, url);
    const response = await withEditor(again, editor, async (agent) => {
      await initialize(agent);
      await agent.request("session/load", { sessionId, cwd: repo, mcpServers: [] });
      const replayed = [...editor.updates];
      const r = await agent.request("session/prompt", {
        sessionId,
        prompt: [{ type: "text", text: "how many functions?" }],
      });
      return { r, replayed };
    });
    const texts = response.replayed.map((u) => [
      u.update.sessionUpdate,
      (u.update as { content?: { text?: string } }).content?.text,
    ]);
    expect(texts).toContainEqual(["user_message_chunk", "what is math.js?"]);
    expect(texts).toContainEqual(["agent_message_chunk", "math.js adds and multiplies."]);
    expect(response.r.stopReason).toBe("end_turn");
    // the continued turn's request carried the stored conversation
    const messages = server!.requests.at(-1)!.body.messages as { role: string; content: string }[];
    expect(messages.some((m) => m.role === "assistant" && m.content === "math.js adds and multiplies.")).toBe(
      true,
    );
    expect(messages.at(-1)).toMatchObject({ role: "user", content: "how many functions?" });
  }, 90_000);
});
