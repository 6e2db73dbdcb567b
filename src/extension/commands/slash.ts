/**
 * A slash command a front end offers (`/name args`): a custom command file, an MCP server's prompt, or a skill.
 * Front ends (the TUI, print mode's `owlet -p "/name args"`) list them and call `expand` with what the user typed
 * after the name; the text it resolves with is the prompt of the turn.
 */
export interface SlashCommand {
  /** Without the slash, e.g. `review`, `frontend:test`, `mcp__github__pr_review`. */
  name: string;
  /** One line for a menu. */
  description: string;
  /** Where it comes from. */
  source: "command" | "mcp_prompt" | "skill";
  /** What arguments it takes, e.g. `[file]` (a command's `argument-hint`, a prompt's argument names). */
  argumentHint?: string;
  /** The prompt for `args` (the text after the name, trimmed). Rejects with an Error a user can act on. */
  expand(args: string): Promise<string>;
}

/**
 * The command a prompt invokes, and its arguments: a prompt `/name rest` where `name` is one of `commands`;
 * undefined otherwise (a prompt that merely starts with a path such as `/etc/hosts` is left alone).
 */
export function findSlashCommand(
  prompt: string,
  commands: readonly SlashCommand[],
): { command: SlashCommand; args: string } | undefined {
  const m = /^\/([^\s/]+)(?:\s+([\s\S]*))?$/.exec(prompt.trim());
  if (!m) return undefined;
  const command = commands.find((c) => c.name === m[1]);
  return command ? { command, args: (m[2] ?? "").trim() } : undefined;
}
