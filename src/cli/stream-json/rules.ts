/**
 * Claude Code's permission vocabulary on owlet's policy: `--allowedTools` / `--disallowedTools` rules
 * (`Bash(npm test:*)`, `Read`, `Edit(src/**)`, `mcp__server__tool`) become `[[permission.rules]]` entries, and
 * Claude Code's permission modes become owlet's.
 */
import type { PermissionMode, PermissionRule, RuleAction } from "../../policy/modes.ts";
import { UserError } from "../exit-codes.ts";

/**
 * Claude Code's tool names → owlet's tools. As in Claude Code, an `Edit` rule covers every file-editing tool
 * (Edit, Write, MultiEdit, NotebookEdit) and a `Read` rule every file-reading one (Read, Glob, Grep, LS).
 */
const CLAUDE_TOOLS: Record<string, readonly string[]> = {
  Bash: ["bash"],
  Read: ["fs_read", "fs_ls", "fs_glob", "fs_grep"],
  Edit: ["fs_edit", "fs_write"],
  MultiEdit: ["fs_edit"],
  Write: ["fs_write"],
  NotebookEdit: ["fs_edit"],
  Glob: ["fs_glob"],
  Grep: ["fs_grep"],
  LS: ["fs_ls"],
};

/** Claude Code's permission modes → owlet's (Claude's `default` allows reads and asks for the rest: owlet's `auto`). */
const MODES: Record<string, PermissionMode> = {
  default: "auto",
  acceptEdits: "accept_edits",
  bypassPermissions: "bypass",
  plan: "plan",
  dontAsk: "deny",
  auto: "auto",
};

/** owlet's permission modes → the Claude Code name reported in system/init (`deny` is Claude's `dontAsk`). */
const CLAUDE_NAMES: Record<PermissionMode, string> = {
  default: "default",
  auto: "default",
  accept_edits: "acceptEdits",
  bypass: "bypassPermissions",
  deny: "dontAsk",
  plan: "plan",
};

/** `--permission-mode` in either vocabulary → owlet's mode name (owlet's names pass through unchanged). */
export function owletPermissionMode(mode: string): string {
  return MODES[mode] ?? mode;
}

/** owlet's mode → Claude Code's name for it. */
export function claudePermissionMode(mode: PermissionMode): string {
  return CLAUDE_NAMES[mode];
}

/**
 * Splits a `--allowedTools` value list as Claude Code does: entries separated by commas or spaces, except inside
 * parentheses (`Bash(git diff:*)` stays one entry).
 */
export function splitToolList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    let depth = 0;
    let current = "";
    for (const ch of value) {
      if (ch === "(") depth++;
      if (ch === ")") depth = Math.max(0, depth - 1);
      if (depth === 0 && (ch === "," || ch === " ")) {
        if (current.trim()) out.push(current.trim());
        current = "";
        continue;
      }
      current += ch;
    }
    if (current.trim()) out.push(current.trim());
  }
  return out;
}

/**
 * One Claude Code rule → owlet rules with `action`. `Tool` covers all of the tool's calls; `Tool(spec)` narrows
 * by the call's main argument: for Bash `cmd:*` is a prefix (`cmd*`) and `*` a wildcard, as Claude Code reads
 * them; for the file tools the spec is a path glob (a leading `./` dropped, `//abs` an absolute path). owlet's
 * own names (`fs_read`, `bash`, globs like `fs_*`) and MCP names (`mcp__server__tool`) are taken as written.
 * Throws UserError for an entry with unbalanced parentheses or an empty name.
 */
export function claudeRuleToOwlet(entry: string, action: RuleAction): PermissionRule[] {
  const m = /^([^()]+?)(?:\((.*)\))?$/s.exec(entry.trim());
  if (!m?.[1]) {
    throw new UserError(
      `invalid tool rule "${entry}": use a tool name, optionally with a pattern in parentheses, e.g. Read, Bash(npm test:*), Edit(src/**)`,
    );
  }
  const name = m[1].trim();
  if (name === "") throw new UserError(`invalid tool rule "${entry}": the tool name is empty`);
  const spec = m[2]?.trim();
  const tools = CLAUDE_TOOLS[name] ?? [name];
  const pattern = spec === undefined || spec === "" || spec === "*" ? undefined : toPattern(name, spec);
  return tools.map((tool) => (pattern === undefined ? { tool, action } : { tool, pattern, action }));
}

function toPattern(tool: string, spec: string): string {
  if (tool === "Bash" || tool === "bash") return spec.endsWith(":*") ? `${spec.slice(0, -2)}*` : spec;
  if (spec.startsWith("//")) return spec.slice(1);
  if (spec.startsWith("./")) return spec.slice(2);
  return spec;
}

/** `--allowedTools` and `--disallowedTools` (each possibly repeated, comma/space separated) → owlet rules. */
export function toolFlagRules(allowed: readonly string[], disallowed: readonly string[]): PermissionRule[] {
  return [
    ...splitToolList(disallowed).flatMap((e) => claudeRuleToOwlet(e, "deny")),
    ...splitToolList(allowed).flatMap((e) => claudeRuleToOwlet(e, "allow")),
  ];
}

/** owlet's built-in tools, the ones Claude Code's names map onto. */
const OWLET_TOOLS = [...new Set(Object.values(CLAUDE_TOOLS).flat())];

/**
 * `--tools` (Claude Code: the built-in tools available; `default` or "" for all): deny rules for every owlet
 * built-in tool the list does not cover.
 */
export function toolSetRules(list: readonly string[]): PermissionRule[] {
  const all = OWLET_TOOLS;
  const entries = splitToolList(list);
  if (entries.length === 0 || entries.includes("default")) return [];
  const kept = new Set(entries.flatMap((e) => claudeRuleToOwlet(e, "allow").map((r) => r.tool)));
  return all.filter((t) => !kept.has(t)).map((tool) => ({ tool, action: "deny" as const }));
}
