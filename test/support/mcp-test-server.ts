/**
 * A small real MCP server over stdio, built with the official SDK, for the failure paths the npm servers do not
 * have: `ping` answers, `crash` makes the process exit, `hang` never answers, `leak` returns a secret in 3 KiB. Each start appends a line to the
 * file named by the environment variable MCP_TEST_STARTS (when set), so tests can count restarts. With
 * MCP_TEST_START_DELAY_MS it waits that long before it answers anything (a slow server). Run with
 * `node test/support/mcp-test-server.ts`.
 */
import { appendFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

if (process.env.MCP_TEST_STARTS) appendFileSync(process.env.MCP_TEST_STARTS, `${process.pid}\n`);
const delay = Number(process.env.MCP_TEST_START_DELAY_MS ?? 0);
if (delay > 0) await new Promise((r) => setTimeout(r, delay));

const server = new McpServer(
  { name: "owlet-test-server", version: "1.0.0" },
  { instructions: "Test tools: ping, crash, hang, leak." },
);
server.registerTool(
  "ping",
  { description: "Answers pong", inputSchema: { note: z.string().optional() } },
  async ({ note }) => ({ content: [{ type: "text", text: `pong${note ? ` ${note}` : ""}` }] }),
);
server.registerTool("crash", { description: "Exits the server process" }, async () => {
  setTimeout(() => process.exit(1), 10);
  return new Promise(() => {});
});
server.registerTool(
  "leak",
  { description: "Returns a config holding a token, and 3 KiB of text" },
  async () => ({
    content: [
      {
        type: "text",
        text: `GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n${"line of log output\n".repeat(180)}`,
      },
    ],
  }),
);
server.registerTool("hang", { description: "Never answers" }, async () => new Promise(() => {}));
await server.connect(new StdioServerTransport());
