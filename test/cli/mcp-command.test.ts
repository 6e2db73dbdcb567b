/**
 * `owlet mcp add | list | test | remove` run as a user would (bin/owlet, an isolated home), against the real
 * server-everything over stdio; and a print-mode turn with an MCP server configured ends and exits.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EVERYTHING = join(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("owlet mcp", () => {
  it("adds a server to the user config, lists it, tests it, and removes it again", async () => {
    const repo = await fixtureRepo("repo-add");
    const home = mkdtempSync(join(tmpdir(), "owlet-mcp-cli-"));
    const run = (...args: string[]) => runOwlet(args, { cwd: repo, home });

    const add = await run("mcp", "add", "everything", process.execPath, "--", EVERYTHING, "stdio");
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    const toml = readFileSync(join(home, "config", "owlet", "config.toml"), "utf8");
    expect(toml).toContain("[mcp_servers.everything]");

    const list = await run("mcp", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`everything  stdio: ${process.execPath} ${EVERYTHING} stdio  (config)`);

    const test = await run("mcp", "test", "everything");
    expect(test.stderr).toBe("");
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/^everything: ok in \d+ ms/);
    expect(test.stdout).toMatch(/tools \(\d+\): .*echo/);

    const unknown = await run("mcp", "test", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no MCP server named "nope" (configured: everything)');

    const dup = await run("mcp", "add", "everything", "x");
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain("already has [mcp_servers.everything]");

    expect((await run("mcp", "remove", "everything")).code).toBe(0);
    expect((await run("mcp", "list")).stdout).toContain("no MCP servers configured");
  }, 60_000);

  it("a server that fails to start is a clear test failure; a print-mode turn with servers still ends", async () => {
    const repo = await fixtureRepo("repo-add");
    const home = mkdtempSync(join(tmpdir(), "owlet-mcp-cli-"));
    const run = (...args: string[]) => runOwlet(args, { cwd: repo, home });
    await run("mcp", "add", "broken", "/nonexistent/mcp-server");
    await run("mcp", "add", "everything", process.execPath, "--", EVERYTHING, "stdio");
    const test = await run("mcp", "test", "broken");
    expect(test.code).toBe(1);
    expect(test.stdout).toContain("broken: failed to start:");

    // The model takes a moment, as real ones do: the servers start while it works, and the broken one says so.
    server = await startScriptedServer([{ text: "hello from the model", delayMs: 1500 }]);
    const turn = await run(
      "-p",
      "say hello",
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "scripted-model",
    );
    expect(turn.code).toBe(0);
    expect(turn.stdout).toContain("hello from the model");
    expect(turn.stderr).toContain('MCP server "broken" (config) did not start');
  }, 60_000);
});
