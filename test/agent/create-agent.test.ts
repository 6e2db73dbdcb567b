/**
 * createAgent against the scripted OpenAI-wire server (real HTTP, real SSE): the agent it returns runs a turn with
 * a tool call through its own tools and permission gate, stores the session, and reports through its AgentIO.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentIO } from "../../src/agent/agent.ts";
import { createAgent } from "../../src/agent/create-agent.ts";
import { AgentSetupError } from "../../src/agent/errors.ts";
import { type FlagOverrides, loadConfig } from "../../src/config/load.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { SessionStore } from "../../src/session/index.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { type Script, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An environment of its own (no user config, no cached models, no API keys) and an IO that records notices. */
function isolatedIO(): AgentIO & { notices: string[] } {
  const home = mkdtempSync(join(tmpdir(), "owlet-agent-home-"));
  const notices: string[] = [];
  return {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, "config"),
      XDG_CACHE_HOME: join(home, "cache"),
    },
    notify: (message) => notices.push(message),
    notices,
  };
}

/** A repo-add workspace, the scripted server, and config pointing at it (flags as the CLI would layer them). */
async function setup(script: Script, flags: Partial<FlagOverrides> = {}) {
  const repo = await fixtureRepo("repo-add");
  server = await startScriptedServer(script);
  const io = isolatedIO();
  const config = await loadConfig({
    cwd: repo,
    env: io.env,
    flags: {
      provider: "openai-compatible",
      baseURL: server.baseURL,
      model: "scripted-model",
      twoStage: false,
      ...flags,
    },
  });
  return { repo, io, config, server };
}

const chats = (s: ScriptedServer) => s.requests.filter((r) => r.path.includes("chat/completions"));

describe("createAgent", () => {
  it("builds an agent that runs a turn with a tool call and stores it in a session", async () => {
    const { repo, io, config, server } = await setup([
      { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }] },
      { text: "`add` returns a - b: it subtracts." },
    ]);
    const events: EngineEvent[] = [];
    const agent = await createAgent({ config, cwd: repo, io, onEvent: (e) => events.push(e) });
    const later: string[] = [];
    agent.subscribe((e) => later.push(e.type));

    const turn = await agent.runTurn("explain math.js");
    await agent.close();

    expect(turn.status, turn.error).toBe("success");
    expect(turn.text).toContain("subtracts");
    expect(agent.primaryArm).toMatchObject({ id: "openai-compatible/scripted-model", local: true });
    expect(agent.tools.get("fs_read")).toBeDefined();

    // The call ran through the agent's tools (read-only: allowed in the default mode) and the model got the file.
    const result = events.find((e) => e.type === "tool_result");
    expect(result).toMatchObject({ type: "tool_result", name: "fs_read", isError: false });
    expect(JSON.stringify(result)).toContain("return a - b;");
    expect(chats(server)).toHaveLength(2);
    expect(JSON.stringify(chats(server)[1]!.body.messages)).toContain("return a - b;");
    expect(events.map((e) => e.type)).toEqual(later);
    expect(events[0]).toMatchObject({ type: "routing", arm: "openai-compatible/scripted-model" });

    // The session holds the turn: prompt, call, result, answer.
    const stored = new SessionStore(repo).open(agent.session!.id).messages();
    expect(stored.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(stored[2]!.content.map((b) => b.type)).toEqual(["tool_result"]);
    expect(io.notices).toEqual([]);
  });

  it("denies a call nobody can approve (no asker) and redacts the prompt, saying so through notify", async () => {
    const token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    const { repo, io, config, server } = await setup([
      { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "rm -rf node_modules" }) }] },
      { text: "I was not allowed to." },
    ]);
    const agent = await createAgent({ config, cwd: repo, io });
    const turn = await agent.runTurn(`clean up; my token is ${token}`);

    expect(turn.status).toBe("permission_denied");
    expect(turn.permissionDenials).toMatchObject([{ toolName: "bash" }]);
    expect(JSON.stringify(chats(server)[0]!.body.messages)).not.toContain(token);
    expect(io.notices).toEqual([expect.stringContaining("1 secret redacted from the prompt")]);
  });

  it("continues the latest session, and refuses an unknown one before looking for a model", async () => {
    const { repo, io, config, server } = await setup([{ text: "first" }, { text: "second" }]);
    const first = await createAgent({ config, cwd: repo, io });
    await first.runTurn("say first");
    const again = await createAgent({ config, cwd: repo, io, session: { kind: "latest" } });
    expect(again.session!.id).toBe(first.session!.id);
    expect(again.engine.history).toHaveLength(2);
    await again.runTurn("say second");
    expect(JSON.stringify(chats(server)[1]!.body.messages)).toContain("say first");

    await expect(
      createAgent({ config, cwd: repo, io, session: { kind: "resume", id: "20990101-000000-abcdef" } }),
    ).rejects.toBeInstanceOf(AgentSetupError);
    expect(chats(server)).toHaveLength(2);
  });
});
