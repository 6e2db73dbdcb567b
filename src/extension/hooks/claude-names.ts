import { isAbsolute, resolve } from "node:path";

/**
 * owlet's built-in tool names → Claude Code's, so hook matchers and scripts written for Claude Code (`Bash`,
 * `Edit|Write`) see the tools they know. MCP tools already share Claude Code's `mcp__<server>__<tool>` names.
 */
export const CLAUDE_TOOL_NAMES: Readonly<Record<string, string>> = {
  bash: "Bash",
  fs_read: "Read",
  fs_write: "Write",
  fs_edit: "Edit",
  fs_glob: "Glob",
  fs_grep: "Grep",
  fs_ls: "LS",
  agent: "Task",
  skill: "Skill",
};

/** Claude Code's name for an owlet tool (the name itself when there is no counterpart). */
export function claudeToolName(name: string): string {
  return CLAUDE_TOOL_NAMES[name] ?? name;
}

/**
 * A call's arguments as a Claude Code hook expects `tool_input`, with owlet's own keys kept beside them (both are
 * passed): Read/Write/Edit get `file_path`, absolute (owlet's `path` is workspace-relative); the agent tool's
 * `agent` is also `subagent_type`. Other arguments pass as they are.
 */
export function claudeToolInput(name: string, args: unknown, cwd: string): Record<string, unknown> {
  const input: Record<string, unknown> =
    args !== null && typeof args === "object" && !Array.isArray(args)
      ? { ...(args as Record<string, unknown>) }
      : { arguments: args };
  if ((name === "fs_read" || name === "fs_write" || name === "fs_edit") && typeof input.path === "string") {
    input.file_path = isAbsolute(input.path) ? input.path : resolve(cwd, input.path);
  }
  if (name === "agent" && typeof input.agent === "string") input.subagent_type = input.agent;
  return input;
}
