import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { McpServerConfig, OwletConfig } from "../../config/schema.ts";
import { readJsonFile } from "../hooks/sources.ts";

/** Default ms for starting a server and for each request to it. */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

/** How to reach one MCP server. */
export type McpTransportSpec =
  | { kind: "stdio"; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
  | {
      kind: "http";
      url: string;
      headers?: Record<string, string>;
      /** `auto`: Streamable HTTP, falling back to HTTP+SSE when the server does not speak it. */
      protocol: "streamable-http" | "sse" | "auto";
    };

/** One MCP server as owlet starts it. `name` is used in tool names (`mcp__<name>__<tool>`). */
export interface McpServerSpec {
  name: string;
  transport: McpTransportSpec;
  /** Ms for every request. */
  timeoutMs: number;
  /** Ms for the start (spawn or connect, initialize, tools/list and prompts/list). */
  startTimeoutMs: number;
  /** Where it was configured (`config`, a `.mcp.json` path, `plugin NAME`), for messages. */
  source: string;
}

/**
 * `[mcp_servers.NAME]` of the merged config as specs, the disabled ones left out; `cwd` of a server resolves
 * against `base`. Throws an Error naming the server when it has neither or both of `command` and `url`.
 */
export function configServers(config: OwletConfig, base: string): McpServerSpec[] {
  const out: McpServerSpec[] = [];
  for (const [name, s] of Object.entries(config.mcp_servers)) {
    if (s.enabled === false) continue;
    out.push(fromConfig(name, s, base, "config"));
  }
  return out;
}

function fromConfig(name: string, s: McpServerConfig, base: string, source: string): McpServerSpec {
  if ((s.command === undefined) === (s.url === undefined))
    throw new Error(`[mcp_servers.${name}]: set either command (a local server) or url (a remote one)`);
  const timeoutMs = s.timeout_ms ?? DEFAULT_MCP_TIMEOUT_MS;
  const startTimeoutMs = s.start_timeout_ms ?? timeoutMs;
  if (s.command !== undefined) {
    return {
      name,
      source,
      timeoutMs,
      startTimeoutMs,
      transport: {
        kind: "stdio",
        command: s.command,
        args: s.args ?? [],
        ...(s.env ? { env: s.env } : {}),
        ...(s.cwd !== undefined ? { cwd: isAbsolute(s.cwd) ? s.cwd : resolve(base, s.cwd) } : {}),
      },
    };
  }
  return {
    name,
    source,
    timeoutMs,
    startTimeoutMs,
    transport: {
      kind: "http",
      url: s.url!,
      ...(s.headers ? { headers: s.headers } : {}),
      protocol: s.transport ?? "auto",
    },
  };
}

/**
 * The servers of a Claude Code `.mcp.json` (`{"mcpServers": {"NAME": {"command", "args", "env"} | {"type":
 * "http"|"sse", "url", "headers"}}}`), with `${VAR}` and `${VAR:-default}` expanded from `vars` in every
 * string (as Claude Code does; a plugin's `${CLAUDE_PLUGIN_ROOT}` too). A server that cannot be read is left out
 * with a line in `problems`. A missing file is no servers.
 */
export function mcpJsonServers(
  file: string,
  vars: Readonly<Record<string, string | undefined>>,
  problems: string[],
  source: string = file,
): McpServerSpec[] {
  if (!existsSync(file)) return [];
  let data: unknown;
  try {
    data = readJsonFile(file);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
    return [];
  }
  const servers = (data as { mcpServers?: unknown } | null)?.mcpServers;
  if (servers === undefined) return [];
  if (!isObject(servers)) {
    problems.push(`${file}: "mcpServers" must be an object`);
    return [];
  }
  const out: McpServerSpec[] = [];
  for (const [name, raw] of Object.entries(servers)) {
    try {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) throw new Error("the name must be [A-Za-z0-9_-], at most 32");
      if (!isObject(raw)) throw new Error("expected an object");
      const s = expandAll(raw, vars) as Record<string, unknown>;
      const type = s.type ?? (s.url !== undefined ? "http" : "stdio");
      const config: McpServerConfig = {
        ...(typeof s.command === "string" ? { command: s.command } : {}),
        ...(Array.isArray(s.args) ? { args: s.args.map(String) } : {}),
        ...(isObject(s.env) ? { env: stringRecord(s.env) } : {}),
        ...(typeof s.cwd === "string" ? { cwd: s.cwd } : {}),
        ...(typeof s.url === "string" ? { url: s.url } : {}),
        ...(isObject(s.headers) ? { headers: stringRecord(s.headers) } : {}),
        ...(type === "sse" ? { transport: "sse" as const } : {}),
        ...(typeof s.timeout_ms === "number" ? { timeout_ms: s.timeout_ms } : {}),
        ...(typeof s.start_timeout_ms === "number" ? { start_timeout_ms: s.start_timeout_ms } : {}),
      };
      if (type !== "stdio" && type !== "http" && type !== "sse")
        throw new Error(`unknown type "${String(type)}" (stdio, http or sse)`);
      out.push(fromConfig(name, config, join(file, ".."), source));
    } catch (err) {
      problems.push(`${file}: server "${name}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

function expandAll(value: unknown, vars: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === "string") {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, dflt?: string) => {
        const v = vars[name];
        if (v !== undefined && v !== "") return v;
        if (dflt !== undefined) return dflt;
        throw new Error(`\${${name}} is not set`);
      },
    );
  }
  if (Array.isArray(value)) return value.map((v) => expandAll(v, vars));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandAll(v, vars)]));
  return value;
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
