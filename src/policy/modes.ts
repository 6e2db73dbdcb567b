/**
 * Permission modes and rules (as in gnoma's permission package, §7.1 of the reference).
 *
 * - `default`: ask for every tool call unless an allow rule matches (read-only tools included).
 * - `accept_edits`: allow read-only tools and non-destructive write-category tools; ask for the rest.
 * - `bypass`: allow everything (deny rules and safety patterns still apply).
 * - `deny`: deny unless an allow rule matches.
 * - `plan`: allow read-only tools only; deny everything else without asking.
 * - `auto` (the default): allow read-only tools; ask for the rest.
 */
export const PERMISSION_MODES = ["default", "accept_edits", "bypass", "deny", "plan", "auto"] as const;

/** One of {@link PERMISSION_MODES}. */
export type PermissionMode = (typeof PERMISSION_MODES)[number];

/** The mode used when none is configured (gnoma: `permission.mode = "auto"`). */
export const DEFAULT_PERMISSION_MODE: PermissionMode = "auto";

/** What a rule does when it matches. */
export type RuleAction = "allow" | "deny";

/**
 * One `[[permission.rules]]` entry. `tool` is a glob over the tool name (`fs_*`, `bash`, `*`); `pattern`, when
 * present, is a glob over the call's main argument (bash: `command`; `fs_*` tools: `path`; other tools: the
 * JSON of the arguments). Globs are anchored: `*` matches any run of characters (slashes included), `?` one
 * character, `[abc]` one of a set; use `*foo*` to match a substring.
 */
export interface PermissionRule {
  tool: string;
  pattern?: string;
  action: RuleAction;
}

/** True when `value` is one of {@link PERMISSION_MODES}. */
export function isPermissionMode(value: string): value is PermissionMode {
  return (PERMISSION_MODES as readonly string[]).includes(value);
}
