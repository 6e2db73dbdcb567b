import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse, stringify } from "smol-toml";
import type { McpServerConfig } from "../../config/schema.ts";
import { readJsonFile } from "../hooks/sources.ts";

/** A server as `owlet mcp add` writes it. */
export type NewMcpServer = Pick<
  McpServerConfig,
  "command" | "args" | "env" | "url" | "headers" | "transport" | "timeout_ms"
>;

/**
 * Adds `[mcp_servers.NAME]` to a TOML config file (created when missing) by appending the table, so the rest of
 * the file (comments included) is kept. Throws an Error when the file already defines NAME or is not valid TOML.
 */
export function addServerToToml(file: string, name: string, server: NewMcpServer): void {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const data = parse(text) as { mcp_servers?: Record<string, unknown> };
  if (data.mcp_servers?.[name] !== undefined)
    throw new Error(`${file} already has [mcp_servers.${name}]; remove it first (owlet mcp remove ${name})`);
  const table = stringify({ mcp_servers: { [name]: server } });
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}\n${table.trim()}\n`, {
    mode: 0o600,
  });
}

/**
 * Removes `[mcp_servers.NAME]` (and its `[mcp_servers.NAME.env]`/`.headers` tables) from a TOML file, leaving
 * every other line. Returns false when the file does not define NAME. Throws an Error when NAME is defined in a
 * way that is not its own table (dotted keys, an inline table): the file should then be edited by hand.
 */
export function removeServerFromToml(file: string, name: string): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, "utf8");
  const before = parse(text) as { mcp_servers?: Record<string, unknown> };
  if (before.mcp_servers?.[name] === undefined) return false;
  const header = new RegExp(
    `^\\s*\\[\\s*mcp_servers\\s*\\.\\s*(?:"${escapeRegex(name)}"|'${escapeRegex(name)}'|${escapeRegex(name)})\\s*(?:\\]|\\.)`,
  );
  const lines = text.split("\n");
  const kept: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (/^\s*\[/.test(line)) inside = header.test(line);
    if (!inside) kept.push(line);
  }
  const out = kept.join("\n").replace(/\n{3,}/g, "\n\n");
  const after = parse(out) as { mcp_servers?: Record<string, unknown> };
  if (after.mcp_servers?.[name] !== undefined)
    throw new Error(`${file} defines mcp_servers.${name} outside its own table; remove it by hand`);
  writeFileSync(file, out);
  return true;
}

/** Adds a server to a Claude Code `.mcp.json` (created when missing). Throws when NAME is already there. */
export function addServerToMcpJson(file: string, name: string, server: NewMcpServer): void {
  const data = (existsSync(file) ? readJsonFile(file) : {}) as { mcpServers?: Record<string, unknown> };
  const servers = data.mcpServers ?? {};
  if (servers[name] !== undefined)
    throw new Error(
      `${file} already has the server "${name}"; remove it first (owlet mcp remove ${name} --scope project)`,
    );
  servers[name] =
    server.url !== undefined
      ? {
          type: server.transport === "sse" ? "sse" : "http",
          url: server.url,
          ...(server.headers ? { headers: server.headers } : {}),
        }
      : { command: server.command, args: server.args ?? [], ...(server.env ? { env: server.env } : {}) };
  writeFileSync(file, `${JSON.stringify({ ...data, mcpServers: servers }, null, 2)}\n`);
}

/** Removes a server from a `.mcp.json`; false when it is not there. */
export function removeServerFromMcpJson(file: string, name: string): boolean {
  if (!existsSync(file)) return false;
  const data = readJsonFile(file) as { mcpServers?: Record<string, unknown> };
  if (data.mcpServers?.[name] === undefined) return false;
  delete data.mcpServers[name];
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
