/** The agent's MCP servers: which configured servers may start (trust), and the manager that runs them. */
import { join } from "node:path";
import type { LoadedConfig } from "../config/load.ts";
import { isTrustedFolder } from "../config/trust.ts";
import { mcpCacheDir } from "../extension/mcp/cache.ts";
import { McpManager } from "../extension/mcp/manager.ts";
import { configServers, type McpServerSpec, mcpJsonServers } from "../extension/mcp/spec.ts";
import { loadPlugins } from "../extension/plugins/load.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import { AgentSetupError } from "./errors.ts";

/**
 * The MCP servers of this agent, not started yet: `[mcp_servers]` of the merged config (an untrusted project's
 * own `[mcp_servers]` were already dropped by loadConfig), the project's `.mcp.json` only when the project folder
 * is trusted (else one notice naming it and `owlet trust`: its servers are not started), and `extra` (plugins').
 * A name defined twice keeps the first (config before `.mcp.json` before plugins). Throws AgentSetupError for a
 * `[mcp_servers.NAME]` with neither or both of command and url.
 */
export function mcpServerSpecs(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  notify: (message: string) => void,
  extra: readonly McpServerSpec[] = [],
): McpServerSpec[] {
  let specs: McpServerSpec[];
  try {
    specs = configServers(loaded.config, loaded.projectRoot);
  } catch (err) {
    throw new AgentSetupError(err instanceof Error ? err.message : String(err));
  }
  const file = join(loaded.projectRoot, ".mcp.json");
  const problems: string[] = [];
  const project = mcpJsonServers(file, env, problems);
  if (project.length > 0) {
    if (isTrustedFolder(loaded.projectRoot, env)) specs.push(...project);
    else
      notify(
        `${file} configures MCP servers (${project.map((s) => s.name).join(", ")}), but ${loaded.projectRoot} is not a trusted folder, so they were not started. If you trust this repository, run: owlet trust ${loaded.projectRoot}`,
      );
  }
  for (const p of problems) notify(`MCP: ${p}`);
  specs.push(...extra);
  const seen = new Set<string>();
  return specs.filter((s) => {
    if (seen.has(s.name)) {
      notify(`MCP server "${s.name}" from ${s.source} is also defined earlier; the earlier one is used`);
      return false;
    }
    seen.add(s.name);
    return true;
  });
}

/** A manager for `specs` whose servers' tools go into `registry` (started by the caller, see McpManager.start). */
export function mcpManager(
  specs: readonly McpServerSpec[],
  registry: ToolRegistry,
  env: NodeJS.ProcessEnv,
  notify: (message: string) => void,
): McpManager {
  return new McpManager(specs, { registry, cacheDir: mcpCacheDir(env), notify });
}

/** One configured server as `owlet mcp list` shows it: its spec, and why it would not start (untrusted, disabled). */
export interface ConfiguredMcpServer {
  spec?: McpServerSpec;
  name: string;
  source: string;
  /** Why owlet would not start it; undefined when it would. */
  skipped?: string;
}

/**
 * Every server the config files, the project's `.mcp.json` and the installed plugins name, whether or not it would start (disabled in
 * config, or in an untrusted folder), with problems (unreadable `.mcp.json`, a server without command or url)
 * listed in `problems`.
 */
export function configuredMcpServers(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  problems: string[],
): ConfiguredMcpServer[] {
  const out: ConfiguredMcpServer[] = [];
  for (const [name, s] of Object.entries(loaded.config.mcp_servers)) {
    if (s.enabled === false) {
      out.push({ name, source: "config", skipped: "enabled = false" });
      continue;
    }
    try {
      const [spec] = configServers({ ...loaded.config, mcp_servers: { [name]: s } }, loaded.projectRoot);
      out.push({ spec: spec!, name, source: "config" });
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  const file = join(loaded.projectRoot, ".mcp.json");
  const trusted = isTrustedFolder(loaded.projectRoot, env);
  for (const spec of mcpJsonServers(file, env, problems)) {
    out.push({
      spec,
      name: spec.name,
      source: file,
      ...(trusted ? {} : { skipped: `not started: ${loaded.projectRoot} is not trusted (owlet trust)` }),
    });
  }
  for (const plugin of loadPlugins(env, problems))
    for (const spec of plugin.mcpServers) out.push({ spec, name: spec.name, source: spec.source });
  return out;
}
