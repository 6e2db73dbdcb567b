import { createHash } from "node:crypto";
import { z } from "zod";
import type { Tool, ToolOutput } from "../../tool/types.ts";
import type { McpConnection, McpToolInfo } from "./connection.ts";
import { blockText, callResultText } from "./result-text.ts";

/** The two-stage category of a server's tools: `mcp_<server>`, lower-case. */
export function serverCategory(server: string): string {
  return `mcp_${server.toLowerCase()}`;
}

/**
 * The wire name of a server's tool, Claude Code's `mcp__<server>__<tool>`, with characters outside
 * `[a-zA-Z0-9_-]` replaced by `_`; a name over 64 characters is cut and ends in 8 hex digits of its hash.
 */
export function mcpToolName(server: string, tool: string): string {
  const name = `mcp__${server}__${tool}`.replace(/[^a-zA-Z0-9_-]/g, "_");
  if (name.length <= 64) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, 55)}_${hash}`;
}

/** Any JSON object: MCP arguments are validated by the server against its own schema. */
const ANY_OBJECT = z.looseObject({});

/**
 * An MCP server's tool as an owlet Tool: its JSON Schema passed to the model as it is (`inputSchema`), its
 * category the server's (described by `hint`, the server's instructions or name), read-only only when the server
 * says so (`readOnlyHint`), destructive unless it says otherwise. A call waits for the server to be up (started
 * or restarted, see McpConnection), has the server's timeout, is cancelled with the turn, and returns the
 * result's text; the server's `isError` is an error result, and a server that is down or times out gives an
 * error result that says so.
 */
export function mcpTool(conn: McpConnection, info: McpToolInfo, hint: string): Tool {
  const server = conn.spec.name;
  const readOnly = info.annotations?.readOnlyHint === true;
  return {
    name: mcpToolName(server, info.name),
    description: (info.description ?? info.annotations?.title ?? info.name).trim(),
    parameters: ANY_OBJECT,
    inputSchema: info.inputSchema,
    category: serverCategory(server),
    categoryHint: hint,
    readOnly,
    destructive: !readOnly && info.annotations?.destructiveHint !== false,
    async run(args, ctx): Promise<ToolOutput> {
      return request(conn, ctx.signal, async (client) => {
        const result = await client.callTool(
          { name: info.name, arguments: args as Record<string, unknown> },
          undefined,
          { signal: ctx.signal, timeout: conn.spec.timeoutMs },
        );
        return {
          output: callResultText(result as { content?: unknown; structuredContent?: unknown }),
          isError: result.isError === true,
        };
      });
    },
  };
}

/**
 * The tool that lists and reads a server's resources, `mcp__<server>__resources`: without `uri` it lists them
 * (uri, name, MIME type, description), with one it reads it (text contents as they are, binary ones as a
 * placeholder). Read-only.
 */
export function resourcesTool(conn: McpConnection, hint: string): Tool<{ uri?: string }> {
  const server = conn.spec.name;
  return {
    name: mcpToolName(server, "resources"),
    description: `List the resources of MCP server ${server} (no uri), or read one (uri).`,
    parameters: z.strictObject({ uri: z.string().optional().describe("resource URI to read") }),
    category: serverCategory(server),
    categoryHint: hint,
    readOnly: true,
    destructive: false,
    async run(args, ctx): Promise<ToolOutput> {
      const opts = { signal: ctx.signal, timeout: conn.spec.timeoutMs };
      return request(conn, ctx.signal, async (client) => {
        if (args.uri === undefined) {
          const { resources } = await client.listResources({}, opts);
          if (resources.length === 0) return { output: `MCP server ${server} lists no resources.` };
          return {
            output: resources
              .map(
                (r) =>
                  `${r.uri}${r.name ? `  ${r.name}` : ""}${r.mimeType ? `  (${r.mimeType})` : ""}${r.description ? `  — ${r.description}` : ""}`,
              )
              .join("\n"),
          };
        }
        const { contents } = await client.readResource({ uri: args.uri }, opts);
        return {
          output: contents
            .map((c) =>
              "text" in c && typeof c.text === "string"
                ? c.text
                : blockText({ type: "resource", resource: c as { uri?: string; blob?: string } }),
            )
            .join("\n\n"),
        };
      });
    },
  };
}

/**
 * Runs one request on the server's client: a server that is not available, a request that fails, or one that
 * times out (the server is then restarted on next use) is an error output naming the server.
 */
async function request(
  conn: McpConnection,
  signal: AbortSignal,
  run: (client: Awaited<ReturnType<McpConnection["ready"]>>) => Promise<ToolOutput>,
): Promise<ToolOutput> {
  let client: Awaited<ReturnType<McpConnection["ready"]>>;
  try {
    client = await conn.ready();
  } catch (err) {
    return { output: err instanceof Error ? err.message : String(err), isError: true };
  }
  try {
    return await run(client);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (signal.aborted) return { output: "interrupted: the turn was cancelled", isError: true };
    if (/timed out|timeout/i.test(message)) {
      await conn.failed(`a request timed out after ${conn.spec.timeoutMs} ms`);
      return {
        output: `MCP server "${conn.spec.name}" did not answer within ${conn.spec.timeoutMs} ms (timeout_ms); it will be restarted on the next call`,
        isError: true,
      };
    }
    return { output: `MCP error from server "${conn.spec.name}": ${message}`, isError: true };
  }
}
