/**
 * Subagents (the agent tool) through createAgent against the scripted OpenAI-wire server: three read-only
 * subagents run in parallel with their events tagged and interleaved, results back in call order, transcripts
 * beside the session and the results store shared; a subagent on a small local arm runs two-stage; a custom
 * agent from .owlet/agents gets only its tools and its prompt.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.ts";
import { createAgent } from "../../src/agent/create-agent.ts";
import { SubagentLimiter } from "../../src/agent/subagents/limiter.ts";
import { type FlagOverrides, loadConfig } from "../../src/config/load.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type Script, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
  await server?.close();
  server = undefined;
});

async function setup(script: Script, flags: Partial<FlagOverrides> = {}, userToml = "") {
  const repo = await fixtureRepo("repo-add");
  const home = mkdtempSync(join(tmpdir(), "owlet-subagents-"));
  mkdirSync(join(home, "config", "owlet"), { recursive: true });
  writeFileSync(join(home, "config", "owlet", "config.toml"), userToml);
  server = await startScriptedServer(script);
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
  };
  const events: EngineEvent[] = [];
  const make = async () => {
    const config = await loadConfig({
      cwd: repo,
      env,
      flags: {
        provider: "openai-compatible",
        baseURL: server!.baseURL,
        model: "scripted-model",
        twoStage: false,
        ...flags,
      },
    });
    const agent = await createAgent({
      config,
      cwd: repo,
      io: { env, notify: () => {} },
      onEvent: (e) => events.push(e),
    });
    agents.push(agent);
    return agent;
  };
  return { repo, make, events, server };
}

const chats = (s: ScriptedServer) => s.requests.filter((r) => r.path.includes("chat/completions"));
const systemOf = (body: any): string => body.messages[0].content;
const firstUser = (body: any): string => body.messages.find((m: any) => m.role === "user").content;
const toolMessages = (body: any) => body.messages.filter((m: any) => m.role === "tool");
const isChild = (body: any) => systemOf(body).includes("read-only research subagent");

describe("subagents", () => {
  it("three read-only subagents run in parallel: tagged, interleaved events; results in call order; transcripts linked", async () => {
    const { repo, make, events, server } = await setup((req) => {
      const body = req.body;
      if (!isChild(body)) {
        if (toolMessages(body).length === 0)
          return {
            toolCalls: ["a", "b", "c"].map((x) => ({
              id: `call_${x}`,
              name: "agent",
              arguments: JSON.stringify({
                agent: "explore",
                description: `look at ${x}`,
                prompt: `Read notes-${x}.txt and say what it holds.`,
              }),
            })),
          };
        return { text: "All three notes read." };
      }
      const task = firstUser(body);
      const x = /notes-(\w)\.txt/.exec(task)![1]!;
      if (toolMessages(body).length === 0)
        return {
          delayMs: 200,
          toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: `notes-${x}.txt` }) }],
        };
      return { delayMs: 100, text: [`notes-${x} holds `, `${x.toUpperCase()}-content`] };
    });
    for (const x of ["a", "b", "c"])
      writeFileSync(
        join(repo, `notes-${x}.txt`),
        `${x.toUpperCase()}-content\n${"filler line\n".repeat(x === "c" ? 200 : 1)}`,
      );
    const agent = await make();
    const turn = await agent.runTurn("read the three notes files with subagents");
    expect(turn.status, turn.error).toBe("success");

    // Results back in call order, each the child's final text.
    const last = chats(server).at(-1)!.body;
    expect(toolMessages(last).map((m: any) => [m.tool_call_id, m.content])).toEqual([
      ["call_a", "notes-a holds A-content"],
      ["call_b", "notes-b holds B-content"],
      ["call_c", "notes-c holds C-content"],
    ]);

    // Every child's events carry its id, in order for that child; the children's events interleave.
    const ids = ["agent-1", "agent-2", "agent-3"];
    for (const id of ids) {
      const mine = events.filter((e) => e.agentId === id).map((e) => e.type);
      expect(mine[0]).toBe("routing");
      expect(mine.filter((t) => t === "round_start")).toHaveLength(2);
      expect(mine.indexOf("tool_call")).toBeLessThan(mine.indexOf("tool_result"));
      expect(mine.lastIndexOf("round_start")).toBeLessThan(mine.lastIndexOf("text_delta"));
    }
    const tagged = events.filter((e) => e.agentId !== undefined);
    const firstResult = tagged.findIndex((e) => e.type === "tool_result");
    expect(new Set(tagged.slice(0, firstResult).map((e) => e.agentId))).toEqual(new Set(ids));
    const main = events.filter((e) => e.agentId === undefined);
    expect(main.filter((e) => e.type === "tool_call" && e.name === "agent")).toHaveLength(3);

    // Transcripts beside the session, linked from it; the results store is shared (the big file went there).
    const sessionText = readFileSync(agent.session!.path, "utf8");
    const links = sessionText
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((r) => r.type === "subagent");
    expect(links.map((l) => l.agent_id).sort()).toEqual(ids);
    for (const l of links) {
      expect(l.path).toBe(join(agent.sessions.dir, `${agent.session!.id}.agents`, `${l.agent_id}.jsonl`));
      const records = readFileSync(l.path, "utf8")
        .trim()
        .split("\n")
        .map((r) => JSON.parse(r));
      expect(records[0]).toMatchObject({ type: "meta", agent_id: l.agent_id, agent: "explore" });
      expect(records.filter((r) => r.type === "message").map((r) => r.message.role)).toEqual([
        "user",
        "assistant",
        "user",
        "assistant",
      ]);
    }
    const results = join(agent.sessions.dir, `${agent.session!.id}.results`);
    expect(existsSync(results) && readdirSync(results).length).toBeGreaterThan(0);
    // The parent's history holds the calls and results, not the children's rounds.
    expect(agent.engine.history.filter((m) => m.role === "assistant")).toHaveLength(2);
  });

  it("a subagent on a small local arm runs the two-stage protocol, like the main agent", async () => {
    const { make, events, server } = await setup(
      (req) => {
        const body = req.body;
        const tools = (body.tools ?? []).map((t: any) => t.function.name);
        const results = toolMessages(body);
        if (!isChild(body)) {
          const delegated = body.messages.some((m: any) =>
            m.tool_calls?.some((c: any) => c.function.name === "agent"),
          );
          if (!delegated && !tools.includes("agent"))
            return { toolCalls: [{ name: "select_category", arguments: '{"category":"agents"}' }] };
          if (tools.includes("agent"))
            return {
              toolCalls: [
                {
                  name: "agent",
                  arguments: JSON.stringify({
                    agent: "explore",
                    prompt: "What does the subtraction helper return? Find it in the workspace.",
                  }),
                },
              ],
            };
          if (tools.includes("select_category"))
            return { toolCalls: [{ name: "select_category", arguments: '{"category":"answer"}' }] };
          return { text: "add returns a - b." };
        }
        if (tools.includes("fs_read"))
          return { toolCalls: [{ name: "fs_read", arguments: '{"path":"math.js"}' }] };
        if (tools.includes("select_category"))
          return {
            toolCalls: [
              {
                name: "select_category",
                arguments: JSON.stringify({
                  category: results.some((m: any) => m.content.includes("a - b")) ? "answer" : "read",
                }),
              },
            ],
          };
        return { text: "It returns a - b." };
      },
      { twoStage: true },
      "[agents]\nsmall_local = true\n",
    );
    const agent = await make();
    expect(agent.primaryArm.local).toBe(true);
    const turn = await agent.runTurn("what does the function in math.js return? ask a subagent");
    expect(turn.status, turn.error).toBe("success");
    const children = chats(server).filter((r) => isChild(r.body));
    expect(children.map((r) => (r.body.tools ?? []).map((t: any) => t.function.name).join(","))).toEqual([
      "select_category",
      "fs_ls,fs_read",
      "select_category",
      "",
    ]);
    expect(children[0]!.body.tool_choice).toBe("required");
    const routing = events.find((e) => e.type === "routing" && e.agentId === "agent-1");
    expect(routing).toMatchObject({ twoStage: true });
    const parentPick = chats(server)[0]!.body.tools[0].function;
    expect(parentPick.parameters.properties.category.enum).toContain("agents");
    expect(toolMessages(chats(server).at(-1)!.body).some((m: any) => m.content === "It returns a - b.")).toBe(
      true,
    );
  });

  it("a custom agent from .owlet/agents gets only its tools (Claude Code names) and its prompt", async () => {
    const { repo, make, server } = await setup((req) => {
      const body = req.body;
      if (systemOf(body).includes("You review code for bugs.")) return { text: "no bugs found" };
      if (toolMessages(body).length === 0)
        return {
          toolCalls: [
            { name: "agent", arguments: JSON.stringify({ agent: "reviewer", prompt: "review math.js" }) },
          ],
        };
      return { text: "done" };
    });
    mkdirSync(join(repo, ".owlet", "agents"), { recursive: true });
    writeFileSync(
      join(repo, ".owlet", "agents", "reviewer.md"),
      "---\nname: reviewer\ndescription: reviews code\ntools: Read, Grep\nmodel: inherit\n---\nYou review code for bugs.\n",
    );
    const agent = await make();
    await agent.runTurn("review math.js with the reviewer");
    const child = chats(server).find((r) => systemOf(r.body).includes("You review code for bugs."))!;
    expect((child.body.tools ?? []).map((t: any) => t.function.name).sort()).toEqual(["fs_grep", "fs_read"]);
    const agentTool = chats(server)[0]!.body.tools.find((t: any) => t.function.name === "agent").function;
    expect(agentTool.description).toContain("- reviewer: reviews code");
    expect(agentTool.description).toContain("- explore: read-only research");
  });
});

describe("SubagentLimiter", () => {
  it("runs read-only work side by side up to the limit, and a writer alone", async () => {
    const limiter = new SubagentLimiter(2);
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`+${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`-${name}`);
    };
    await Promise.all([
      limiter.run(true, job("r1", 60)),
      limiter.run(true, job("r2", 60)),
      limiter.run(true, job("r3", 10)),
      limiter.run(false, job("w", 10)),
      limiter.run(true, job("r4", 10)),
    ]);
    expect(log.slice(0, 2)).toEqual(["+r1", "+r2"]);
    const w = log.indexOf("+w");
    expect(log.slice(w, w + 2)).toEqual(["+w", "-w"]);
    expect(log.indexOf("+r3")).toBeGreaterThan(log.indexOf("-r1") - 1);
    expect(log.indexOf("+r4")).toBeGreaterThan(log.indexOf("-w"));
  });
});

describe("subagents in print mode", () => {
  it("stream-json (Claude Code's shapes) keeps a subagent's stream out of the parent's messages; text mode keeps its text off stdout", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer((req) => {
      const body = req.body;
      if (isChild(body)) return { text: "child says hi" };
      if (toolMessages(body).length === 0)
        return {
          toolCalls: [{ name: "agent", arguments: JSON.stringify({ agent: "explore", prompt: "say hi" }) }],
        };
      return { text: "parent done" };
    });
    const flags = [
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "scripted-model",
      "--no-two-stage",
    ];
    const json = await runOwlet(["-p", "delegate a greeting", "--output-format", "stream-json", ...flags], {
      cwd: repo,
    });
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // The child's rounds never open or fill a message of the parent's: its answer comes back as the tool result.
    const assistantText = lines
      .filter((l) => l.type === "assistant")
      .flatMap((l) => l.message.content)
      .filter((b: any) => b.type === "text")
      .map((b: any) => b.text)
      .join("");
    expect(assistantText).toBe("parent done");
    const results = lines
      .filter((l) => l.type === "user")
      .flatMap((l) => l.message.content)
      .filter((b: any) => b.type === "tool_result");
    expect(JSON.stringify(results)).toContain("child says hi");
    expect(lines.filter((l) => l.type === "system" && l.subtype === "round_start")).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({ type: "result", result: "parent done" });

    const text = await runOwlet(["-p", "delegate a greeting", ...flags], { cwd: repo });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe("parent done\n");
  });
});
