import { bashSubjects } from "./bash-subjects.ts";
import type { PermissionRule } from "./modes.ts";
import { mainArgument } from "./permissions.ts";

/**
 * The allow rule an "allow always for this session" answer adds for one call (as Claude Code's "Yes, and don't
 * ask again for `npm test:*`"): for bash, the program and its first plain word as a prefix (`npm test*`,
 * `git status*`; a command of one word is allowed exactly as written), from the one simple command;
 * a command the bash grammar cannot read, or a compound one (`a && b`, a pipeline), gets the exact text instead,
 * so one answer never covers more than the user saw. Every other tool: the tool by name, any arguments (its
 * deny rules and protected paths still apply first, see PermissionPolicy.check).
 */
export function sessionRuleFor(tool: string, args: unknown): PermissionRule {
  if (tool !== "bash") return { tool, action: "allow" };
  const command = mainArgument(tool, args).trim();
  const analysed = bashSubjects(command);
  const simple = !analysed.refused && analysed.subjects.length === 1 && analysed.unresolved.length === 0;
  if (!simple) return { tool, pattern: command, action: "allow" };
  const words = command.split(/\s+/);
  const [program = "", first] = words;
  const plainWord = first !== undefined && /^[A-Za-z0-9][\w.:/-]*$/.test(first);
  if (!plainWord || !/^[\w./-]+$/.test(program)) return { tool, pattern: command, action: "allow" };
  return { tool, pattern: `${program} ${first}*`, action: "allow" };
}

/** A rule as one line for the user: `allow bash "npm test*"`, `deny fs_write`. */
export function describeRuleLine(rule: PermissionRule): string {
  return `${rule.action} ${rule.tool}${rule.pattern !== undefined ? ` "${rule.pattern}"` : ""}`;
}
