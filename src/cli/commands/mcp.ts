import { resolve } from "node:path";
import { configuredMcpServers } from "../../agent/mcp.ts";
import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import { ceilingsFromEnv, findProjectRoot } from "../../config/project-root.ts";
import { userConfigPath } from "../../config/user-path.ts";
import {
  addServerToMcpJson,
  addServerToToml,
  type NewMcpServer,
  removeServerFromMcpJson,
  removeServerFromToml,
} from "../../extension/mcp/config-edit.ts";
import { McpConnection } from "../../extension/mcp/connection.ts";
import { DEFAULT_MCP_TIMEOUT_MS, type McpServerSpec } from "../../extension/mcp/spec.ts";
import { EXIT, UserError } from "../exit-codes.ts";

/** Where `owlet mcp` runs: output, environment and directory (tests pass their own). */
export interface McpCommandIO {
  out: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `owlet mcp list`: every configured server, where it comes from, how it is reached, and whether it starts. */
export async function runMcpList(opts: McpCommandIO & { json?: boolean }): Promise<number> {
  const { servers, problems } = await configured(opts);
  if (opts.json) {
    opts.out.write(`${JSON.stringify({ servers, problems }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (servers.length === 0)
    opts.out.write("no MCP servers configured (add one with: owlet mcp add NAME COMMAND…)\n");
  for (const s of servers) {
    const how = s.spec ? describe(s.spec) : "";
    opts.out.write(`${s.name}  ${how}  (${s.source})${s.skipped ? `  [${s.skipped}]` : ""}\n`);
  }
  for (const p of problems) opts.out.write(`problem: ${p}\n`);
  return EXIT.ok;
}

/**
 * `owlet mcp test NAME`: starts the server as owlet would and lists what it offers (tools, prompts, resources);
 * exit 0 when it came up, 1 with the reason when it did not. Throws UserError (exit 2) for an unknown name.
 */
export async function runMcpTest(name: string, opts: McpCommandIO): Promise<number> {
  const { servers } = await configured(opts);
  const found = servers.find((s) => s.name === name);
  if (!found?.spec)
    throw new UserError(
      `no MCP server named "${name}"${servers.length > 0 ? ` (configured: ${servers.map((s) => s.name).join(", ")})` : ""}`,
    );
  const conn = new McpConnection(found.spec);
  const started = Date.now();
  const state = await conn.start();
  await conn.close();
  if (state.kind !== "ready") {
    opts.out.write(`${name}: failed to start: ${state.kind === "failed" ? state.error : state.kind}\n`);
    return EXIT.turnFailed;
  }
  const { info } = state;
  opts.out.write(`${name}: ok in ${Date.now() - started} ms — ${info.description}\n`);
  opts.out.write(`tools (${info.tools.length}): ${info.tools.map((t) => t.name).join(", ") || "none"}\n`);
  opts.out.write(
    `prompts (${info.prompts.length}): ${info.prompts.map((p) => p.name).join(", ") || "none"}\n`,
  );
  opts.out.write(`resources: ${info.resources ? "yes" : "no"}\n`);
  return EXIT.ok;
}

/** Options of `owlet mcp add`. */
export interface McpAddOptions extends McpCommandIO {
  scope?: string;
  env?: NodeJS.ProcessEnv;
  /** `KEY=VALUE` entries (--env). */
  serverEnv?: string[];
  /** `Name: value` entries (--header). */
  header?: string[];
  transport?: string;
  timeoutMs?: number;
}

/**
 * `owlet mcp add NAME COMMAND [ARGS…]` or `owlet mcp add NAME URL`: writes the server to the user config
 * (`--scope user`, default) or the project's `.mcp.json` (`--scope project`). Throws UserError (exit 2) for a bad
 * name, scope, --env or --header, or a name already configured there.
 */
export async function runMcpAdd(
  name: string,
  target: string,
  args: string[],
  opts: McpAddOptions,
): Promise<number> {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(name))
    throw new UserError(`mcp add: "${name}" is not a server name (use A-Z a-z 0-9 _ -, at most 32)`);
  const isUrl = /^https?:\/\//.test(target);
  const server: NewMcpServer = isUrl
    ? {
        url: target,
        ...(opts.header?.length ? { headers: pairs(opts.header, ":", "--header") } : {}),
        ...(opts.transport === "sse" ? { transport: "sse" as const } : {}),
      }
    : {
        command: target,
        args,
        ...(opts.serverEnv?.length ? { env: pairs(opts.serverEnv, "=", "--env") } : {}),
      };
  if (opts.timeoutMs !== undefined) server.timeout_ms = opts.timeoutMs;
  const file = scopeFile(opts);
  try {
    if (file.endsWith(".json")) addServerToMcpJson(file, name, server);
    else addServerToToml(file, name, server);
  } catch (err) {
    throw new UserError(`mcp add: ${err instanceof Error ? err.message : String(err)}`);
  }
  opts.out.write(`added MCP server "${name}" to ${file}; check it with: owlet mcp test ${name}\n`);
  return EXIT.ok;
}

/** `owlet mcp remove NAME`: removes it from the user config or (`--scope project`) the project's `.mcp.json`. */
export async function runMcpRemove(name: string, opts: McpCommandIO & { scope?: string }): Promise<number> {
  const file = scopeFile(opts);
  let removed: boolean;
  try {
    removed = file.endsWith(".json") ? removeServerFromMcpJson(file, name) : removeServerFromToml(file, name);
  } catch (err) {
    throw new UserError(`mcp remove: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!removed) throw new UserError(`mcp remove: ${file} has no MCP server "${name}" (see owlet mcp list)`);
  opts.out.write(`removed MCP server "${name}" from ${file}\n`);
  return EXIT.ok;
}

async function configured(opts: McpCommandIO) {
  const env = opts.env ?? process.env;
  try {
    const loaded = await loadConfig({ cwd: opts.cwd ?? process.cwd(), env });
    const problems: string[] = [];
    return { servers: configuredMcpServers(loaded, env, problems), problems };
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
}

function scopeFile(opts: McpCommandIO & { scope?: string }): string {
  const env = opts.env ?? process.env;
  const scope = opts.scope ?? "user";
  if (scope === "user") return userConfigPath(env);
  if (scope === "project")
    return resolve(findProjectRoot(opts.cwd ?? process.cwd(), ceilingsFromEnv(env)), ".mcp.json");
  throw new UserError(`--scope must be user or project, not "${scope}"`);
}

function pairs(items: string[], sep: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf(sep);
    if (at <= 0) throw new UserError(`${flag} "${item}": expected NAME${sep}VALUE`);
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

function describe(spec: McpServerSpec): string {
  const t = spec.transport;
  const timeout = spec.timeoutMs === DEFAULT_MCP_TIMEOUT_MS ? "" : `, timeout ${spec.timeoutMs} ms`;
  return t.kind === "stdio"
    ? `stdio: ${[t.command, ...t.args].join(" ")}${timeout}`
    : `${t.protocol === "sse" ? "sse" : "http"}: ${t.url}${timeout}`;
}
