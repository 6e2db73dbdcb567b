import { describe, expect, it } from "vitest";
import type { SlashCommand as ExtensionCommand } from "../../extension/commands/slash.ts";
import { defaultCommands } from "./builtin.ts";
import { ExtensionCommandSync } from "./extension-commands.ts";
import type { CommandHost } from "./types.ts";

const ext = (name: string, source: ExtensionCommand["source"] = "command"): ExtensionCommand => ({
  name,
  description: `the ${name} command`,
  source,
  expand: async (args) => `expanded ${name} with [${args}]`,
});

describe("an agent's slash commands in the UI registry", () => {
  it("are added beside the built-ins, never over one, and go when the agent no longer has them", () => {
    const registry = defaultCommands();
    const builtinHelp = registry.find("help");
    const sync = new ExtensionCommandSync(registry);
    sync.sync([ext("review"), ext("help"), ext("mcp__gh__pr", "mcp_prompt"), ext("Bad Name")]);
    expect(registry.find("review")?.summary).toContain("custom command");
    expect(registry.find("mcp__gh__pr")?.summary).toContain("MCP prompt");
    expect(registry.find("help")).toBe(builtinHelp);
    expect(registry.complete("rev").map((c) => c.name)).toEqual(["review"]);
    sync.sync([ext("mcp__gh__pr", "mcp_prompt")]);
    expect(registry.find("review")).toBeUndefined();
    expect(registry.find("mcp__gh__pr")).toBeDefined();
    expect(registry.find("help")).toBe(builtinHelp);
  });

  it("runs as a prompt: the expansion is sent, shown as what was typed", async () => {
    const registry = defaultCommands();
    new ExtensionCommandSync(registry).sync([ext("review")]);
    const sent: [string, string | undefined][] = [];
    const host = { sendPrompt: (p: string, d?: string) => sent.push([p, d]) } as unknown as CommandHost;
    await registry.find("review")?.run(host, "src/a.ts");
    expect(sent).toEqual([["expanded review with [src/a.ts]", "/review src/a.ts"]]);
  });
});
