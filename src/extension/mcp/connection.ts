import { getPriority, setPriority } from "node:os";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { McpServerSpec } from "./spec.ts";

/** Starts after the first one a server gets when it fails to start, crashes or times out (issue 11's N). */
export const MAX_MCP_RESTARTS = 3;
/** Niceness stdio servers get above owlet's own (higher runs later): they start while the first request is sent. */
const SERVER_NICENESS = 10;
/** Characters of a stdio server's stderr kept for error messages. */
const STDERR_TAIL = 2000;

/** A tool as a server lists it (tools/list), with its JSON Schema as sent. */
export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; title?: string };
}

/** A prompt as a server lists it (prompts/list). */
export interface McpPromptInfo {
  name: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}

/** What a server offers once started. */
export interface McpServerInfo {
  tools: McpToolInfo[];
  prompts: McpPromptInfo[];
  /** Whether it declares the resources capability. */
  resources: boolean;
  /** Its `instructions` (initialize result), or its name and version. */
  description: string;
}

/** Where a connection is: not started, starting, up, or failed (with why, and whether it may start again). */
export type McpState =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "ready"; info: McpServerInfo }
  | { kind: "failed"; error: string; final: boolean };

/**
 * One MCP server through the official SDK's Client: stdio (a child process, the SDK's safe default environment
 * plus the spec's `env`, stderr kept for messages), Streamable HTTP, or the older HTTP+SSE transport (`auto`
 * tries Streamable HTTP first, then SSE, as the SDK's backwards-compatibility guide does). Every request has the
 * spec's timeouts. A server that fails to start, times out or crashes is started again on the next use, at most
 * MAX_MCP_RESTARTS times; after that every use fails at once with the last error. Never throws from `start`.
 */
export class McpConnection {
  readonly spec: McpServerSpec;
  private client: Client | undefined;
  private starting: Promise<McpState> | undefined;
  private current: McpState = { kind: "idle" };
  private starts = 0;
  private stderr = "";
  private closed = false;

  constructor(spec: McpServerSpec) {
    this.spec = spec;
  }

  /** The connection's state now. */
  get state(): McpState {
    return this.current;
  }

  /** Starts the server (or joins a start in progress); resolves with the state it reached. */
  start(): Promise<McpState> {
    if (this.current.kind === "ready") return Promise.resolve(this.current);
    if (this.starting) return this.starting;
    if (this.closed) return Promise.resolve({ kind: "failed", error: "owlet is shutting down", final: true });
    if (this.current.kind === "failed" && this.current.final) return Promise.resolve(this.current);
    this.starting = this.connect().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /**
   * The client, started (or restarted within the limit) if need be. Throws an Error with a message for the model
   * and the user when the server is not available.
   */
  async ready(): Promise<Client> {
    const state = await this.start();
    if (state.kind !== "ready" || !this.client) throw new Error(this.unavailable(state));
    return this.client;
  }

  /** Marks the server as failed after a request timed out, so the next use restarts it. */
  async failed(error: string): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.current = { kind: "failed", error, final: this.starts > MAX_MCP_RESTARTS };
    await client?.close().catch(() => {});
  }

  /** Stops the server (stdio: the SDK closes stdin, then SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
  }

  private async connect(): Promise<McpState> {
    this.starts++;
    this.current = { kind: "starting" };
    const { transport: t, startTimeoutMs } = this.spec;
    try {
      const client =
        t.kind === "http" && t.protocol === "auto"
          ? await this.connectWith(() => this.httpTransport("streamable-http")).catch(() =>
              this.connectWith(() => this.httpTransport("sse")),
            )
          : await this.connectWith(() =>
              t.kind === "stdio" ? this.stdioTransport() : this.httpTransport(t.protocol as "sse"),
            );
      const caps = client.getServerCapabilities() ?? {};
      const opts = { timeout: startTimeoutMs };
      const tools = caps.tools ? (await client.listTools({}, opts)).tools : [];
      const prompts = caps.prompts ? (await client.listPrompts({}, opts)).prompts : [];
      const version = client.getServerVersion();
      const info: McpServerInfo = {
        tools: tools as McpToolInfo[],
        prompts: prompts as McpPromptInfo[],
        resources: caps.resources !== undefined,
        description:
          client.getInstructions()?.trim() ||
          `${version?.title ?? version?.name ?? this.spec.name}${version?.version ? ` ${version.version}` : ""}`,
      };
      if (this.closed) {
        await client.close().catch(() => {});
        return { kind: "failed", error: "owlet is shutting down", final: true };
      }
      this.client = client;
      client.onclose = () => {
        if (this.client !== client) return;
        this.client = undefined;
        const tail = this.stderrTail();
        this.current = {
          kind: "failed",
          error: `the server stopped${tail ? `: ${tail}` : ""}`,
          final: this.starts > MAX_MCP_RESTARTS,
        };
      };
      this.current = { kind: "ready", info };
      return this.current;
    } catch (err) {
      const tail = this.stderrTail();
      const error = `${err instanceof Error ? err.message : String(err)}${tail ? ` (stderr: ${tail})` : ""}`;
      this.current = { kind: "failed", error, final: this.starts > MAX_MCP_RESTARTS };
      return this.current;
    }
  }

  /** Connects a new client over a new transport within the timeout; closes it again on failure. */
  private async connectWith(make: () => Transport): Promise<Client> {
    const client = new Client({ name: "owlet", version: "0.1.0" }, { capabilities: {} });
    const transport = make();
    try {
      const connecting = client.connect(transport, { timeout: this.spec.startTimeoutMs });
      // The child exists now (the SDK spawns it synchronously): let it boot behind owlet's own work, so starting
      // servers does not slow the turn's first request on a busy machine.
      if (transport instanceof StdioClientTransport && transport.pid !== null) {
        try {
          setPriority(transport.pid, Math.min(19, getPriority() + SERVER_NICENESS));
        } catch {
          // not permitted: the server runs at owlet's priority
        }
      }
      await connecting;
      return client;
    } catch (err) {
      await client.close().catch(() => {});
      throw err;
    }
  }

  private stdioTransport(): Transport {
    const t = this.spec.transport;
    if (t.kind !== "stdio") throw new Error("not a stdio server");
    const transport = new StdioClientTransport({
      command: t.command,
      args: t.args,
      ...(t.env ? { env: t.env } : {}),
      ...(t.cwd ? { cwd: t.cwd } : {}),
      stderr: "pipe",
    });
    this.stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
    return transport;
  }

  private httpTransport(protocol: "streamable-http" | "sse"): Transport {
    const t = this.spec.transport;
    if (t.kind !== "http") throw new Error("not an HTTP server");
    const url = new URL(t.url);
    const requestInit = t.headers ? { headers: t.headers } : undefined;
    return protocol === "sse"
      ? new SSEClientTransport(url, requestInit ? { requestInit } : {})
      : new StreamableHTTPClientTransport(url, requestInit ? { requestInit } : {});
  }

  private stderrTail(): string {
    return this.stderr.trim().split("\n").slice(-3).join(" | ").slice(-400);
  }

  private unavailable(state: McpState): string {
    const why = state.kind === "failed" ? state.error : state.kind;
    const tries = this.starts === 1 ? "1 start" : `${this.starts} starts`;
    return state.kind === "failed" && state.final
      ? `MCP server "${this.spec.name}" is not available: ${why}. It was not restarted again after ${tries}; check it with: owlet mcp test ${this.spec.name}`
      : `MCP server "${this.spec.name}" is not available: ${why} (check it with: owlet mcp test ${this.spec.name})`;
  }
}
