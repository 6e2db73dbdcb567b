/** `!command` from a front end: one bash call through the agent's gate and sandbox, its output kept for the model. */
import type { EngineEvent } from "../engine/events.ts";
import { executeToolCalls } from "../engine/execute-tools.ts";
import type { PermissionGate } from "../engine/permission-gate.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import type { ToolContext } from "../tool/types.ts";

/** What a user's shell command gave: the bash tool's output (redacted) and whether it failed or was refused. */
export interface ShellRun {
  command: string;
  output: string;
  isError: boolean;
  /** True when the permission gate refused it (nothing ran). */
  denied: boolean;
}

/** What {@link runUserShell} needs from the agent. */
export interface ShellDeps {
  tools: ToolRegistry;
  context: Omit<ToolContext, "signal">;
  gate: PermissionGate;
  emit: (event: EngineEvent) => void;
}

/** Ids of user shell calls, `user_shell_<n>`, so their events never collide with the model's call ids. */
let runs = 0;

/**
 * Runs `command` as the user's own bash call (a front end's `!command`, as Claude Code's bash mode): the same bash
 * tool, permission gate (an ask is put to the user) and sandbox as the model's calls, its output redacted as every
 * tool result is. The `tool_call`/`tool_result` events go to `emit`. Never throws for a failing command.
 */
export async function runUserShell(command: string, deps: ShellDeps, signal: AbortSignal): Promise<ShellRun> {
  const id = `user_shell_${++runs}`;
  const call = { type: "tool_call" as const, id, name: "bash", arguments: JSON.stringify({ command }) };
  deps.emit({ type: "tool_call", id, name: "bash", arguments: call.arguments });
  const [result] = await executeToolCalls([call], {
    registry: deps.tools,
    context: deps.context,
    signal,
    gate: deps.gate,
    emit: deps.emit,
  });
  return {
    command,
    output: result?.content ?? "",
    isError: result?.isError === true,
    denied: result?.notRun === "denied",
  };
}

/**
 * The text a shell run adds to the next prompt, so the model sees what the user ran and what it printed (the
 * conversation keeps alternating user/assistant: it travels with the user's next message).
 */
export function shellNote(run: ShellRun): string {
  const status = run.denied ? " (not run: permission denied)" : run.isError ? " (failed)" : "";
  return `I ran \`${run.command}\` in the shell${status}. Its output:\n\`\`\`\n${run.output.trimEnd()}\n\`\`\``;
}
