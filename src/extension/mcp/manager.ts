import type { ToolRegistry } from "../../tool/registry.ts";
import type { SlashCommand } from "../commands/slash.ts";
import { readServerCache, writeServerCache } from "./cache.ts";
import { McpConnection, type McpPromptInfo, type McpServerInfo, type McpState } from "./connection.ts";
import type { McpServerSpec } from "./spec.ts";
import { mcpTool, mcpToolName, resourcesTool } from "./tools.ts";

/** One server's status for `owlet mcp list` and front ends. */
export interface McpServerStatus {
  name: string;
  source: string;
  state: McpState;
}

/**
 * The configured MCP servers of an agent. `start` begins every server at once, in the background, and returns
 * immediately, so a turn's first request never waits for them: a server's tools are registered from what it
 * offered last time (the cache) right away, and from its live `tools/list` once it is up (tools it no longer
 * lists are removed); a call to a tool whose server is still starting waits for it (within its timeout). A
 * server that fails is reported once through `notify`, and its tools give error results (see McpConnection).
 * Each server's tools form one two-stage category, described by the server's instructions or name.
 */
export class McpManager {
  private readonly connections: McpConnection[];
  private readonly registry: ToolRegistry;
  private readonly cacheDir: string | undefined;
  private readonly notify: (message: string) => void;
  private readonly registered = new Map<string, Set<string>>();
  private readonly prompts = new Map<string, McpPromptInfo[]>();
  private starts: Promise<unknown>[] = [];
  private closing = false;

  constructor(
    specs: readonly McpServerSpec[],
    opts: { registry: ToolRegistry; cacheDir?: string; notify: (message: string) => void },
  ) {
    this.connections = specs.map((s) => new McpConnection(s));
    this.registry = opts.registry;
    this.cacheDir = opts.cacheDir;
    this.notify = opts.notify;
  }

  /** Number of servers configured. */
  get size(): number {
    return this.connections.length;
  }

  /**
   * Registers what each server offered last time (the cache) at once, and starts every server in the background
   * once `after` resolves (default: now); see the class. Call once.
   */
  start(after: Promise<void> = Promise.resolve()): void {
    this.starts = this.connections.map(async (conn) => {
      const cached = this.cacheDir ? readServerCache(this.cacheDir, conn.spec) : undefined;
      if (cached) this.offer(conn, cached);
      await after;
      if (this.closing) return;
      const state = await conn.start();
      if (state.kind === "ready") {
        this.offer(conn, state.info);
        if (this.cacheDir) writeServerCache(this.cacheDir, conn.spec, state.info);
      } else if (state.kind === "failed" && !this.closing) {
        this.notify(`MCP server "${conn.spec.name}" (${conn.spec.source}) did not start: ${state.error}`);
      }
    });
  }

  /** Resolves once every server has started or failed (tests, `owlet mcp test`). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.starts);
  }

  /** Every server's name, source and state. */
  statuses(): McpServerStatus[] {
    return this.connections.map((c) => ({ name: c.spec.name, source: c.spec.source, state: c.state }));
  }

  /**
   * The servers' prompts as slash commands, `mcp__<server>__<prompt>` (Claude Code's names): `expand` passes the
   * words typed after the name to the prompt's arguments in order (the last one takes the rest) and resolves
   * with the text of the messages the server returns. Prompts of servers not up yet come from the cache.
   */
  slashCommands(): SlashCommand[] {
    const out: SlashCommand[] = [];
    for (const conn of this.connections) {
      for (const p of this.prompts.get(conn.spec.name) ?? []) {
        const names = (p.arguments ?? []).map((a) => a.name);
        out.push({
          name: mcpToolName(conn.spec.name, p.name),
          description: p.description ?? `prompt ${p.name} of MCP server ${conn.spec.name}`,
          source: "mcp_prompt",
          ...(names.length > 0 ? { argumentHint: names.map((n) => `<${n}>`).join(" ") } : {}),
          expand: async (args) => {
            const client = await conn.ready();
            const words = args === "" ? [] : args.split(/\s+/);
            const values: Record<string, string> = {};
            names.forEach((n, i) => {
              const v = i === names.length - 1 ? words.slice(i).join(" ") : words[i];
              if (v) values[n] = v;
            });
            const missing = (p.arguments ?? []).filter((a) => a.required && values[a.name] === undefined);
            if (missing.length > 0)
              throw new Error(
                `/${mcpToolName(conn.spec.name, p.name)} needs: ${missing.map((a) => a.name).join(", ")}`,
              );
            const result = await client.getPrompt(
              { name: p.name, arguments: values },
              { timeout: conn.spec.timeoutMs },
            );
            return result.messages
              .map((m) => (m.content.type === "text" ? m.content.text : `[${m.content.type} content]`))
              .join("\n\n");
          },
        });
      }
    }
    return out;
  }

  /** Stops every server. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.connections.map((c) => c.close()));
  }

  /** Registers what a server offers (replacing an earlier offer: tools it no longer lists are removed). */
  private offer(conn: McpConnection, info: McpServerInfo): void {
    const hint = `tools of ${conn.spec.name}: ${info.description}`;
    const names = new Set<string>();
    for (const t of info.tools) {
      const tool = mcpTool(conn, t, hint);
      this.registry.register(tool);
      names.add(tool.name);
    }
    if (info.resources) {
      const tool = resourcesTool(conn, hint);
      this.registry.register(tool);
      names.add(tool.name);
    }
    for (const old of this.registered.get(conn.spec.name) ?? [])
      if (!names.has(old)) this.registry.unregister(old);
    this.registered.set(conn.spec.name, names);
    this.prompts.set(conn.spec.name, info.prompts);
  }
}
