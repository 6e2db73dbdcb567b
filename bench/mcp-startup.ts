/**
 * Issue 11's MCP start-up budget: a turn with 3 MCP servers configured must reach its first model request no more
 * than 50 ms later than with none. In-process createAgent + runTurn against the scripted OpenAI-wire server, with
 * three real stdio servers (server-filesystem, server-everything, the SDK test server), each configuration run
 * 11 times interleaved: none; 3 servers with an empty tool cache (cold: their tools are not known yet); 3 servers
 * whose tools are cached from an earlier start (warm: the first request offers them). Times are from the start of
 * createAgent to the first chat request arriving at the server (ms). Writes bench/results/mcp-startup.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAgent } from "../src/agent/create-agent.ts";
import { loadConfig } from "../src/config/load.ts";
import { startScriptedServer } from "../test/support/scripted-server.ts";
import { median, printTable } from "./stats.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const node = JSON.stringify(process.execPath);
const servers = (dir: string) =>
  [
    `[mcp_servers.fs]\ncommand = ${node}\nargs = ${JSON.stringify([join(root, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"), dir])}`,
    `[mcp_servers.everything]\ncommand = ${node}\nargs = ${JSON.stringify([join(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "stdio"])}`,
    `[mcp_servers.t]\ncommand = ${node}\nargs = ${JSON.stringify([join(root, "test/support/mcp-test-server.ts")])}`,
  ].join("\n\n");

type Kind = "none" | "cold" | "warm";
const RUNS = 11;
const times: Record<Kind, number[]> = { none: [], cold: [], warm: [] };
const offered: Record<Kind, number[]> = { none: [], cold: [], warm: [] };
const workspace = mkdtempSync(join(tmpdir(), "owlet-bench-mcp-ws-"));
const warmHome = mkdtempSync(join(tmpdir(), "owlet-bench-mcp-warm-"));

async function once(kind: Kind): Promise<void> {
  const home = kind === "warm" ? warmHome : mkdtempSync(join(tmpdir(), "owlet-bench-mcp-"));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
  };
  mkdirSync(join(env.XDG_CONFIG_HOME, "owlet"), { recursive: true });
  writeFileSync(join(env.XDG_CONFIG_HOME, "owlet", "config.toml"), kind === "none" ? "" : servers(workspace));
  let firstAt = 0;
  let tools = 0;
  const server = await startScriptedServer((req) => {
    firstAt ||= performance.now();
    tools = req.body?.tools?.length ?? 0;
    return { text: "ok" };
  });
  const config = await loadConfig({
    cwd: workspace,
    env,
    flags: {
      provider: "openai-compatible",
      baseURL: server.baseURL,
      model: "scripted-model",
      twoStage: false,
    },
  });
  const t0 = performance.now();
  const agent = await createAgent({
    config: {
      ...config,
      config: { ...config.config, session: { ...config.config.session, enabled: false } },
    },
    cwd: workspace,
    io: { env, notify: () => {} },
  });
  await agent.runTurn("hi");
  times[kind].push(firstAt - t0);
  offered[kind].push(tools);
  if (kind !== "none") await agent.mcp.settled();
  await agent.close();
  await server.close();
  if (kind !== "warm") rmSync(home, { recursive: true, force: true });
}

await once("warm"); // fills the warm cache; not counted
times.warm.length = 0;
offered.warm.length = 0;
await once("none"); // warm-up of the process; not counted
times.none.length = 0;
offered.none.length = 0;
for (let i = 0; i < RUNS; i++) for (const kind of ["none", "cold", "warm"] as const) await once(kind);

const base = median(times.none);
console.log(`\nMCP start-up: createAgent → first model request, ${RUNS} runs each (ms)\n`);
printTable([
  ["servers", "median ms", "min", "max", "+ vs none", "tools offered", "target"],
  ...(["none", "cold", "warm"] as const).map((k) => [
    k === "none" ? "none" : `3 (${k} cache)`,
    median(times[k]).toFixed(1),
    Math.min(...times[k]).toFixed(1),
    Math.max(...times[k]).toFixed(1),
    k === "none" ? "" : (median(times[k]) - base).toFixed(1),
    median(offered[k]),
    k === "none" ? "" : "≤ 50 ms more",
  ]),
]);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/mcp-startup.json", import.meta.url),
  `${JSON.stringify({ runs: RUNS, timesMs: times, toolsOffered: offered, medianMs: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) }, null, 2)}\n`,
);
rmSync(workspace, { recursive: true, force: true });
rmSync(warmHome, { recursive: true, force: true });
