/**
 * The MCP client against real servers: the npm packages @modelcontextprotocol/server-filesystem and
 * server-everything over stdio, server-everything over Streamable HTTP and over the older HTTP+SSE transport (its
 * own HTTP modes, on loopback), and a small SDK-built server for crashes and timeouts; the model is the scripted
 * OpenAI-wire server; everything goes through createAgent.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, describe, expect, it } from "vitest";
import type { Agent, AgentIO } from "../../src/agent/agent.ts";
import { createAgent } from "../../src/agent/create-agent.ts";
import { type FlagOverrides, loadConfig } from "../../src/config/load.ts";
import { trustFolder } from "../../src/config/trust.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { type Script, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE = process.execPath;
const FS_SERVER = join(ROOT, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
const EVERYTHING = join(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const TEST_SERVER = join(ROOT, "test/support/mcp-test-server.ts");

let server: ScriptedServer | undefined;
const agents: Agent[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
  for (const c of children.splice(0)) c.kill("SIGKILL");
  await server?.close();
  server = undefined;
});

function isolatedIO(): AgentIO & { notices: string[] } {
  const home = mkdtempSync(join(tmpdir(), "owlet-mcp-home-"));
  const notices: string[] = [];
  return {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, "config"),
      XDG_CACHE_HOME: join(home, "cache"),
    },
    notify: (m) => notices.push(m),
    notices,
  };
}

const q = (v: unknown) => JSON.stringify(v);

async function setup(script: Script, userToml: (repo: string) => string, flags: Partial<FlagOverrides> = {}) {
  const repo = await fixtureRepo("repo-add");
  server = await startScriptedServer(script);
  const io = isolatedIO();
  mkdirSync(join(io.env.XDG_CONFIG_HOME!, "owlet"), { recursive: true });
  writeFileSync(join(io.env.XDG_CONFIG_HOME!, "owlet", "config.toml"), userToml(repo));
  const make = async () => {
    const config = await loadConfig({
      cwd: repo,
      env: io.env,
      flags: {
        provider: "openai-compatible",
        baseURL: server!.baseURL,
        model: "scripted-model",
        twoStage: false,
        permissionMode: "bypass",
        ...flags,
      },
    });
    const agent = await createAgent({ config, cwd: repo, io });
    agents.push(agent);
    return agent;
  };
  return { repo, io, make, server };
}

const chats = (s: ScriptedServer) => s.requests.filter((r) => r.path.includes("chat/completions"));
const toolMessages = (body: any) => body.messages.filter((m: any) => m.role === "tool");
const offered = (body: any): any[] => (body.tools ?? []).map((t: any) => t.function);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** server-everything in one of its HTTP modes on a free loopback port, once it listens. */
async function everythingOverHttp(mode: "streamableHttp" | "sse"): Promise<number> {
  const port = await freePort();
  const child = spawn(NODE, [EVERYTHING, mode], {
    env: { PATH: process.env.PATH, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start`)), 15_000);
    const onData = (d: Buffer) => {
      if (/listening|running/i.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
  });
  return port;
}

/** The tools a server lists, through a client of the test's own (what "without loss" is compared with). */
async function listedTools(command: string, args: string[]): Promise<any[]> {
  const client = new Client({ name: "test", version: "1" });
  await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

describe("MCP servers", () => {
  it("server-filesystem over stdio: its tools reach the model with the server's JSON Schemas, and a call works", async () => {
    const { repo, make, server } = await setup(
      [
        { toolCalls: [{ name: "mcp__fs__read_text_file", arguments: q({ path: "math.js" }) }] },
        { text: "It subtracts." },
      ],
      (repo) => `[mcp_servers.fs]\ncommand = ${q(NODE)}\nargs = ${q([FS_SERVER, repo])}\ncwd = ${q(repo)}\n`,
    );
    const agent = await make();
    await agent.mcp.settled();
    expect(agent.mcp.statuses()).toMatchObject([{ name: "fs", source: "config", state: { kind: "ready" } }]);
    const turn = await agent.runTurn("what does math.js do?");
    expect(turn.status, turn.error).toBe("success");

    const listed = await listedTools(NODE, [FS_SERVER, repo]);
    const tools = offered(chats(server)[0]!.body);
    for (const t of listed) {
      const sent = tools.find((o) => o.name === `mcp__fs__${t.name}`);
      expect(sent, t.name).toBeDefined();
      expect(sent.parameters).toEqual(t.inputSchema);
    }
    expect(tools.map((t) => t.name)).toContain("fs_read");
    const [result] = toolMessages(chats(server)[1]!.body);
    expect(result.content).toContain("return a - b;");
  });

  it("server-everything over stdio: a call, resources listed and read, prompts as slash commands", async () => {
    const { make, server } = await setup(
      [
        {
          toolCalls: [
            { id: "e", name: "mcp__everything__echo", arguments: q({ message: "hi there" }) },
            { id: "r", name: "mcp__everything__resources", arguments: "{}" },
          ],
        },
        { text: "done" },
      ],
      () => `[mcp_servers.everything]\ncommand = ${q(NODE)}\nargs = ${q([EVERYTHING, "stdio"])}\n`,
    );
    const agent = await make();
    await agent.mcp.settled();
    await agent.runTurn("echo hi there");
    const [echo, resources] = toolMessages(chats(server)[1]!.body);
    expect(echo.content).toBe("Echo: hi there");
    const uri = /^(\S+:\/\/\S+)/m.exec(resources.content)?.[1];
    expect(uri, resources.content).toBeDefined();

    const read = await agent.tools
      .get("mcp__everything__resources")!
      .run({ uri }, { workspaceRoot: "/", signal: new AbortController().signal, limits: {} as never });
    expect(read.isError).not.toBe(true);
    expect(read.output.length).toBeGreaterThan(0);

    const commands = agent.slashCommands().filter((c) => c.source === "mcp_prompt");
    const simple = commands.find((c) => c.name === "mcp__everything__simple-prompt");
    expect(simple, commands.map((c) => c.name).join(", ")).toBeDefined();
    expect(await simple!.expand("")).toMatch(/\S/);
  });

  it("server-everything over Streamable HTTP and over HTTP+SSE", async () => {
    const http = await everythingOverHttp("streamableHttp");
    const sse = await everythingOverHttp("sse");
    const { make, server } = await setup(
      [
        {
          toolCalls: [
            { id: "h", name: "mcp__web__echo", arguments: q({ message: "over http" }) },
            { id: "s", name: "mcp__old__echo", arguments: q({ message: "over sse" }) },
          ],
        },
        { text: "done" },
      ],
      () =>
        `[mcp_servers.web]\nurl = "http://127.0.0.1:${http}/mcp"\n\n` +
        `[mcp_servers.old]\nurl = "http://127.0.0.1:${sse}/sse"\ntransport = "sse"\n`,
    );
    const agent = await make();
    await agent.mcp.settled();
    expect(agent.mcp.statuses().map((s) => s.state.kind)).toEqual(["ready", "ready"]);
    await agent.runTurn("echo");
    const [h, s] = toolMessages(chats(server)[1]!.body);
    expect(h.content).toBe("Echo: over http");
    expect(s.content).toBe("Echo: over sse");
  });

  it("each server is its own two-stage category, described by the server", async () => {
    const { make, server } = await setup(
      [
        { toolCalls: [{ name: "select_category", arguments: q({ category: "mcp_t" }) }] },
        { toolCalls: [{ name: "mcp__t__ping", arguments: q({ note: "x" }) }] },
        { toolCalls: [{ name: "select_category", arguments: q({ category: "answer" }) }] },
        { text: "pong it is" },
      ],
      () => `[mcp_servers.t]\ncommand = ${q(NODE)}\nargs = ${q([TEST_SERVER])}\n`,
      { twoStage: true },
    );
    const agent = await make();
    await agent.mcp.settled();
    const turn = await agent.runTurn("ping the test server");
    expect(turn.status, turn.error).toBe("success");
    const [pick, call] = chats(server);
    const select = offered(pick!.body)[0];
    expect(select.parameters.properties.category.enum).toContain("mcp_t");
    expect(select.description).toContain("mcp_t (tools of t: Test tools: ping, crash, hang, leak.)");
    expect(
      offered(call!.body)
        .map((t) => t.name)
        .sort(),
    ).toEqual(["mcp__t__crash", "mcp__t__hang", "mcp__t__leak", "mcp__t__ping"]);
    expect(toolMessages(chats(server)[2]!.body).at(-1).content).toBe("pong x");
  });

  it("an MCP result goes the built-ins' way: secrets redacted, a large one to the results store", async () => {
    const { make, server } = await setup(
      [{ toolCalls: [{ name: "mcp__t__leak", arguments: "{}" }] }, { text: "ok" }],
      () => `[mcp_servers.t]\ncommand = ${q(NODE)}\nargs = ${q([TEST_SERVER])}\n`,
    );
    const agent = await make();
    await agent.mcp.settled();
    await agent.runTurn("show the config");
    const [result] = toolMessages(chats(server)[1]!.body);
    expect(JSON.stringify(chats(server)[1]!.body)).not.toContain("ghp_0123456789abcdefghij");
    const stored = /(\/\S+\.results\/\S+)/.exec(result.content)?.[1];
    expect(stored, result.content).toBeDefined();
    const file = readFileSync(stored!.replace(/[\]).,]+$/, ""), "utf8");
    expect(file).toContain("[REDACTED:");
    expect(file).not.toContain("ghp_0123456789abcdefghij");
  });

  it("a server that crashes gives a tool error and is restarted at most 3 times; a timeout is an error too", async () => {
    const starts = join(mkdtempSync(join(tmpdir(), "owlet-mcp-starts-")), "starts");
    const calls = ["crash", "ping", "hang", "ping", "crash", "crash", "ping"];
    const { make, server } = await setup(
      (_req, i) =>
        i % 2 === 0 && i / 2 < calls.length
          ? { toolCalls: [{ name: `mcp__t__${calls[i / 2]}`, arguments: "{}" }] }
          : { text: "next" },
      () =>
        `[mcp_servers.t]\ncommand = ${q(NODE)}\nargs = ${q([TEST_SERVER])}\ntimeout_ms = 1500\nstart_timeout_ms = 30000\n\n[mcp_servers.t.env]\nMCP_TEST_STARTS = ${q(starts)}\n`,
    );
    const agent = await make();
    await agent.mcp.settled();
    const outputs: string[] = [];
    for (let i = 0; i < calls.length; i++) {
      await agent.runTurn(`step ${i}`);
      outputs.push(toolMessages(chats(server).at(-1)!.body).at(-1).content);
    }
    expect(outputs[0]).toMatch(/MCP error from server "t"|not available/);
    expect(outputs[1]).toBe("pong");
    expect(outputs[2]).toContain("did not answer within 1500 ms");
    expect(outputs[3]).toBe("pong");
    // Four starts in all (the first and three restarts); after that the server stays down and says so at once.
    expect(outputs[6]).toContain("It was not restarted again after 4 starts");
    expect(readFileSync(starts, "utf8").trim().split("\n")).toHaveLength(4);
  }, 40_000);

  it("a server slow to start does not hold up the first request and times out; an untrusted .mcp.json is not started", async () => {
    const { repo, io, make, server } = await setup(
      [{ text: "hello" }, { text: "again" }],
      () =>
        `[mcp_servers.slow]\ncommand = ${q(NODE)}\nargs = ${q([TEST_SERVER])}\ntimeout_ms = 1000\n\n[mcp_servers.slow.env]\nMCP_TEST_START_DELAY_MS = "20000"\n`,
    );
    writeFileSync(
      join(repo, ".mcp.json"),
      JSON.stringify({ mcpServers: { proj: { command: NODE, args: [TEST_SERVER] } } }),
    );
    const agent = await make();
    const started = Date.now();
    const turn = await agent.runTurn("hi");
    expect(turn.status).toBe("success");
    expect(Date.now() - started).toBeLessThan(10_000); // the server needs 20 s to answer: not waited for
    expect(agent.mcp.statuses().map((s) => s.name)).toEqual(["slow"]);
    expect(io.notices).toContainEqual(
      expect.stringMatching(/\.mcp\.json configures MCP servers \(proj\).*owlet trust/),
    );
    expect(chats(server)).toHaveLength(1);

    trustFolder(repo, io.env);
    const trusted = await make();
    await trusted.mcp.settled();
    expect(trusted.mcp.statuses().map((s) => [s.name, s.source.endsWith(".mcp.json"), s.state.kind])).toEqual(
      [
        ["slow", false, "failed"],
        ["proj", true, "ready"],
      ],
    );
    expect(io.notices).toContainEqual(
      expect.stringMatching(/MCP server "slow" \(config\) did not start: .*timed out/i),
    );
  }, 30_000);
});
