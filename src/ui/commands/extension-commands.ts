import type { SlashCommand as ExtensionCommand } from "../../extension/commands/slash.ts";
import type { CommandRegistry } from "./registry.ts";
import type { SlashCommand } from "./types.ts";

const SOURCE_LABEL: Record<ExtensionCommand["source"], string> = {
  command: "custom command",
  mcp_prompt: "MCP prompt",
  skill: "skill",
};

/**
 * The UI command for an agent's slash command (a custom command file, an MCP server's prompt, a skill): `run`
 * expands it with the typed arguments and sends the result as the prompt, shown as the `/name args` typed.
 * Undefined for a name the registry cannot hold (not lower-case letters, digits, `_`, `-`, `:` after lower-casing).
 */
export function extensionCommand(command: ExtensionCommand): SlashCommand | undefined {
  const name = command.name.toLowerCase();
  if (!/^[a-z][\w:-]*$/.test(name)) return undefined;
  return {
    name,
    summary: `${command.description || command.name} (${SOURCE_LABEL[command.source]})`,
    ...(command.argumentHint ? { usage: command.argumentHint } : {}),
    async run(host, args) {
      const prompt = await command.expand(args);
      host.sendPrompt(prompt, `/${command.name}${args ? ` ${args}` : ""}`);
    },
  };
}

/**
 * Keeps an agent's slash commands in `registry` beside the built-in ones: `sync(commands)` registers each one
 * whose name no built-in holds (a built-in always wins, as in Claude Code) and drops those of an earlier agent
 * that are gone. Call it when the agent changes and before a lookup (MCP prompts arrive as servers start).
 */
export class ExtensionCommandSync {
  private readonly ours = new Set<string>();

  constructor(private readonly registry: CommandRegistry) {}

  sync(commands: readonly ExtensionCommand[]): void {
    const wanted = new Map<string, SlashCommand>();
    for (const c of commands) {
      const ui = extensionCommand(c);
      if (!ui || wanted.has(ui.name)) continue;
      const held = this.registry.find(ui.name);
      if (held && !this.ours.has(held.name)) continue; // a built-in
      wanted.set(ui.name, ui);
    }
    for (const name of this.ours) if (!wanted.has(name)) this.registry.unregister(name);
    this.ours.clear();
    for (const [name, command] of wanted) {
      this.registry.register(command);
      this.ours.add(name);
    }
  }
}
