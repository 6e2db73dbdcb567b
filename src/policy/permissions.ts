import path from "node:path";
import type { ToolCategory } from "../tool/types.ts";
import { splitBashCommand, stripAssignments } from "./bash-split.ts";
import { matchGlob } from "./glob.ts";
import { isPermissionMode, type PermissionMode, type PermissionRule } from "./modes.ts";
import { findSensitiveTarget, SENSITIVE_REASON_PREFIX } from "./safety.ts";

/** What the policy needs to know about one tool call. `args` are the parsed arguments (an object) or raw JSON. */
export interface PermissionCall {
  tool: string;
  readOnly: boolean;
  destructive: boolean;
  category: ToolCategory;
  args: unknown;
}

/** `allow`: run it; `deny`: refuse without asking; `ask`: ask the user (deny when nobody can be asked). */
export type PermissionDecision = "allow" | "deny" | "ask";

/** A decision and a one-line reason (shown to the user, and to the model on denial). */
export interface PermissionResult {
  decision: PermissionDecision;
  reason: string;
  /** Set when a safety pattern forced the decision: the protected path's pattern, e.g. ".env". */
  sensitive?: string;
}

/** Constructor options of {@link PermissionPolicy}. */
export interface PermissionPolicyOptions {
  mode: PermissionMode;
  rules?: readonly PermissionRule[];
}

/**
 * The main argument of a tool call, the text rule patterns and safety patterns look at: `command` for bash,
 * `path` for `fs_*` tools, otherwise (or when that field is missing) the JSON of the arguments.
 * Raw JSON text is parsed first; unparsable text is used as is.
 */
export function mainArgument(tool: string, args: unknown): string {
  let value = args;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return value as string;
    }
  }
  const field = tool === "bash" ? "command" : tool.startsWith("fs_") ? "path" : undefined;
  if (field) {
    const main = stringField(value, field);
    if (main !== undefined) return main;
  }
  return JSON.stringify(value) ?? "";
}

/** `value[field]` when `value` is an object whose `field` is a string. */
function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const main = (value as Record<string, unknown>)[field];
  return typeof main === "string" ? main : undefined;
}

/** The `path` argument of an `fs_*` call (parsed or raw JSON), or undefined when there is none. */
function fsPathArgument(tool: string, args: unknown): string | undefined {
  if (!tool.startsWith("fs_")) return undefined;
  let value = args;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return stringField(value, "path");
}

/**
 * Decides whether a tool call may run, as in gnoma's permission checker (§7.1). Order:
 * 1. deny rules (win in every mode, bypass included; for bash each sub-command of a compound command is checked,
 *    also without leading assignments and reserved words such as `then`, `do`, `!`, and with quotes removed; for
 *    `fs_*` paths both the path as written and its normalised form, so `./secrets/x` and `src/../secrets/x` meet
 *    a `secrets/*` rule);
 * 2. safety patterns for non-read-only tools (bypass-immune): a protected path (see safety.ts) → `ask`
 *    (`deny` in plan mode, and in deny mode unless an allow rule matches, so they never loosen a mode);
 * 3. bypass mode → allow;
 * 4. allow rules (for bash, every sub-command must be covered by an allow rule; an `fs_*` path is matched in its
 *    normalised form only, so `src/../package.json` does not meet a `src/*` rule);
 * 5. the mode: default asks for everything; accept_edits allows read-only and non-destructive write-category
 *    tools and asks for the rest; deny denies; plan allows read-only tools and denies the rest; auto allows
 *    read-only tools and asks for the rest. A destructive tool never counts as read-only.
 */
export class PermissionPolicy {
  private currentMode: PermissionMode;
  private readonly rules: readonly PermissionRule[];

  /** Throws an Error naming the problem when the mode or a rule is invalid. */
  constructor(options: PermissionPolicyOptions) {
    this.currentMode = checkedMode(options.mode);
    this.rules = (options.rules ?? []).map((rule, index) => {
      if (!rule.tool) throw new Error(`permission rule ${index + 1}: "tool" must be a non-empty glob`);
      if (rule.action !== "allow" && rule.action !== "deny") {
        throw new Error(
          `permission rule ${index + 1}: "action" must be "allow" or "deny", got "${String(rule.action)}"`,
        );
      }
      return { ...rule };
    });
  }

  /** The current mode. */
  get mode(): PermissionMode {
    return this.currentMode;
  }

  /** Switches mode (e.g. the TUI's mode cycling). Throws on an unknown mode. */
  setMode(mode: PermissionMode): void {
    this.currentMode = checkedMode(mode);
  }

  /** Decides one tool call; pure apart from reading the current mode and rules. */
  check(call: PermissionCall): PermissionResult {
    const main = mainArgument(call.tool, call.args);
    const isBash = call.tool === "bash";
    const fsPath = fsPathArgument(call.tool, call.args);
    const normalPath = fsPath === undefined ? undefined : path.posix.normalize(fsPath);
    // Deny rules see every form; allow rules only the normalised path (`..` cannot climb out of a rule's scope).
    const subjects = isBash
      ? bashSubjects(main)
      : [normalPath === undefined ? [main] : unique([main, normalPath])];
    const allowSubjects = normalPath === undefined ? subjects : [[normalPath]];
    const toolRules = this.rules.filter((rule) => matchGlob(rule.tool, call.tool));
    const denyRules = toolRules.filter((rule) => rule.action === "deny");
    const allowRules = toolRules.filter((rule) => rule.action === "allow");

    // 1. Deny rules: the whole command or any sub-command.
    const wholeCommand = isBash ? [main] : [];
    for (const rule of denyRules) {
      const hit = [wholeCommand, ...subjects].find((forms) => forms.some((text) => ruleMatches(rule, text)));
      if (hit) {
        return {
          decision: "deny",
          reason: `denied by rule ${describeRule(rule)}${isBash ? ` (matched "${hit[0]}")` : ""}`,
        };
      }
    }

    const readOnly = call.readOnly && !call.destructive;
    const allowedByRule =
      allowRules.length > 0 &&
      allowSubjects.every((forms) =>
        allowRules.some((rule) => forms.some((text) => ruleMatches(rule, text))),
      );

    // 2. Safety patterns (bypass-immune; never loosen plan or deny mode).
    if (!readOnly) {
      const sensitive = findSensitiveTarget(main);
      if (sensitive) {
        const reason = `${SENSITIVE_REASON_PREFIX} (${sensitive}); this always needs explicit approval`;
        const refuse = this.currentMode === "plan" || (this.currentMode === "deny" && !allowedByRule);
        return { decision: refuse ? "deny" : "ask", reason, sensitive };
      }
    }

    // 3. Bypass.
    if (this.currentMode === "bypass") return { decision: "allow", reason: "bypass mode" };

    // 4. Allow rules.
    if (allowedByRule) {
      const rule = allowRules.find((r) => allowSubjects[0]!.some((text) => ruleMatches(r, text)))!;
      return { decision: "allow", reason: `allowed by rule ${describeRule(rule)}` };
    }

    // 5. The mode.
    return modeDecision(this.currentMode, call, readOnly);
  }
}

function modeDecision(mode: PermissionMode, call: PermissionCall, readOnly: boolean): PermissionResult {
  switch (mode) {
    case "default":
      return { decision: "ask", reason: "default mode: every tool call needs approval" };
    case "accept_edits":
      if (readOnly) return { decision: "allow", reason: "accept_edits mode: read-only tool" };
      if (call.category === "write" && !call.destructive) {
        return { decision: "allow", reason: "accept_edits mode: edits are accepted" };
      }
      return { decision: "ask", reason: `accept_edits mode: ${call.tool} is not an edit` };
    case "deny":
      return { decision: "deny", reason: "deny mode: no allow rule matches" };
    case "plan":
      if (readOnly) return { decision: "allow", reason: "plan mode: read-only tool" };
      return {
        decision: "deny",
        reason: `plan mode: only read-only tools run (${call.tool} is not read-only)`,
      };
    case "bypass":
      return { decision: "allow", reason: "bypass mode" };
    case "auto":
      if (readOnly) return { decision: "allow", reason: "auto mode: read-only tool" };
      return { decision: "ask", reason: `auto mode: ${call.tool} is not read-only` };
  }
}

/**
 * For each sub-command of a bash command line: the forms a pattern may match (as written, assignments stripped,
 * leading reserved words stripped too, so `if x; then rm y; fi` yields `rm y`, and that form with quotes and
 * backslashes removed, so `\rm -rf x` and `'rm' x` meet an `rm *` rule).
 */
function bashSubjects(command: string): string[][] {
  const parts = splitBashCommand(command);
  if (parts.length === 0) return [[command]];
  return parts.map((part) => {
    const bare = stripLeadingWords(part);
    return unique([part, stripAssignments(part), bare, dequote(bare)]);
  });
}

/** `text` with quotes and backslash escapes removed, roughly as bash reads the words (`\rm 'x'` → `rm x`). */
function dequote(text: string): string {
  return text.replace(/\\(.)|['"]/gs, (_, escaped: string | undefined) => escaped ?? "");
}

/** Reserved words (and `!`) that may precede the command a sub-command runs. */
const LEADING_WORD = /^(?:(?:if|then|else|elif|while|until|do|time|!)\s+|[({]\s*)/;

/** `part` without leading reserved words, grouping and `NAME=value` assignments, in any order. */
function stripLeadingWords(part: string): string {
  let s = part;
  for (;;) {
    const next = stripAssignments(s.replace(LEADING_WORD, ""));
    if (next === s) return s;
    s = next;
  }
}

function unique(forms: string[]): string[] {
  return [...new Set(forms)];
}

function ruleMatches(rule: PermissionRule, text: string): boolean {
  return rule.pattern === undefined || matchGlob(rule.pattern, text);
}

function describeRule(rule: PermissionRule): string {
  return rule.pattern === undefined
    ? `${rule.action} ${rule.tool}`
    : `${rule.action} ${rule.tool} "${rule.pattern}"`;
}

function checkedMode(mode: string): PermissionMode {
  if (!isPermissionMode(mode)) {
    throw new Error(
      `unknown permission mode "${mode}"; use default, accept_edits, bypass, deny, plan or auto`,
    );
  }
  return mode;
}
