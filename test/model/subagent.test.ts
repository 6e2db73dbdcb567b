/**
 * Issue 11: a subagent on a real small local model. The parent is the scripted OpenAI-wire server (pinned); its
 * agent call names a custom agent whose `model` is an embedded arm running SmolLM2-135M in-process. What must hold
 * is the structure: the child runs on that arm with two-stage routing, its events carry its id, its turn ends
 * (answered or failed clearly) within the limits, and the parent gets a tool result and finishes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAgent } from "../../src/agent/create-agent.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { startScriptedServer } from "../support/scripted-server.ts";
import { testModelPath } from "./model-path.ts";

describe("a subagent on the embedded SmolLM2-135M", () => {
  it("runs on its own local arm, two-stage, and hands its reply back to the parent", async () => {
    const model = testModelPath();
    const repo = await fixtureRepo("repo-add");
    const home = mkdtempSync(join(tmpdir(), "owlet-model-subagent-"));
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, "config"),
      XDG_CACHE_HOME: join(home, "cache"),
    };
    const server = await startScriptedServer((req) =>
      req.body.messages.some((m: any) => m.tool_calls?.some((c: any) => c.function.name === "agent"))
        ? { text: "The subagent answered." }
        : {
            toolCalls: [
              {
                name: "agent",
                arguments: JSON.stringify({
                  agent: "reader",
                  prompt: "What does math.js do? Answer in one sentence.",
                }),
              },
            ],
          },
    );
    mkdirSync(join(env.XDG_CONFIG_HOME, "owlet"), { recursive: true });
    writeFileSync(
      join(env.XDG_CONFIG_HOME, "owlet", "config.toml"),
      `[engine]\nmax_turns = 6\n\n[[arms]]\nid = "small"\nprovider = "embedded"\nmodel = ${JSON.stringify(model)}\ncontext_window = 4096\n`,
    );
    mkdirSync(join(repo, ".owlet", "agents"), { recursive: true });
    writeFileSync(
      join(repo, ".owlet", "agents", "reader.md"),
      "---\nname: reader\ndescription: reads code and says what it does\ntools: Read, LS\nmodel: small\n---\nRead the file, then say in one sentence what it does.\n",
    );
    const config = await loadConfig({
      cwd: repo,
      env,
      flags: {
        provider: "openai-compatible",
        baseURL: server.baseURL,
        model: "scripted-model",
      },
    });
    const events: EngineEvent[] = [];
    const agent = await createAgent({
      config,
      cwd: repo,
      io: { env, notify: () => {} },
      pinnedArm: true,
      seed: 7,
      onEvent: (e) => events.push(e),
    });
    try {
      const turn = await agent.runTurn("what does math.js do? ask the reader");
      expect(turn.status, turn.error).toBe("success");
      const child = events.filter((e) => e.agentId === "agent-1");
      expect(child[0]).toMatchObject({ type: "routing", arm: "small", twoStage: true });
      expect(child.filter((e) => e.type === "round_start").length).toBeGreaterThan(0);
      const result = events.find(
        (e) => e.type === "tool_result" && e.name === "agent" && e.agentId === undefined,
      );
      expect(result).toBeDefined();
      process.stderr.write(`subagent on ${model}: ${JSON.stringify(result)}\n`);
    } finally {
      await agent.close();
      await server.close();
    }
  });
});
