import path from "node:path";
import { splitBashCommand, stripAssignments, stripLeadingWords } from "../tool/shell/bash-split.ts";
import { parseSimpleCommand, writesToFile } from "../tool/shell/bash-words.ts";
import type { ToolCategory } from "../tool/types.ts";
import { commandName, wrappedCommands } from "./bash-wrappers.ts";
import { matchGlob } from "./glob.ts";
import { isPermissionMode, type PermissionMode, type PermissionRule } from "./modes.ts";
import { findSensitiveFile, findSensitiveTarget, SENSITIVE_REASON_PREFIX } from "./safety.ts";

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
 *    substitutions and `bash -c` / `eval` scripts included, also without leading assignments, reserved words such
 *    as `then`, `do`, `!` and grouping, with quotes removed, by the command's basename (`/bin/rm`) and through
 *    wrappers such as `env`, `sudo`, `xargs`, `nohup` (see bashSubjects); for `fs_*` paths both the path as
 *    written and its normalised form, so `./secrets/x` and `src/../secrets/x` meet a `secrets/*` rule);
 * 2. safety patterns (bypass-immune): for non-read-only tools a protected path (see safety.ts), for read-only
 *    `fs_*` tools a file that holds secrets by name (`.env`, keys: findSensitiveFile) → `ask`
 *    (`deny` in plan mode, and in deny mode unless an allow rule matches, so they never loosen a mode);
 * 3. bypass mode → allow;
 * 4. allow rules (for bash, every sub-command must be covered by an allow rule, matched as written, so a rule
 *    for `git *` never covers `env git …`, `FOO=1 git …` or `sudo git …`, nor `git log > file` unless its pattern
 *    contains `>` (see covers); an `fs_*` path is matched in its normalised form only, so `src/../package.json`
 *    does not meet a `src/*` rule);
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
    const normalPath = fsPath === undefined ? undefined : normalisePath(fsPath);
    // Deny rules see every form; allow rules only the normalised path (`..` cannot climb out of a rule's scope).
    const subjects: BashSubject[] = isBash
      ? bashSubjects(main)
      : [
          {
            text: main,
            deny: normalPath === undefined ? [main] : unique([main, normalPath]),
            allow: [normalPath ?? main],
            writes: false,
          },
        ];
    const toolRules = this.rules.filter((rule) => matchGlob(rule.tool, call.tool));
    const denyRules = toolRules.filter((rule) => rule.action === "deny");
    const allowRules = toolRules.filter((rule) => rule.action === "allow");

    // 1. Deny rules: the whole command or any sub-command.
    const denyForms = isBash ? [[main], ...subjects.map((s) => [s.text, ...s.deny])] : [subjects[0]!.deny];
    for (const rule of denyRules) {
      const hit = denyForms.find((forms) => forms.some((text) => ruleMatches(rule, text)));
      if (hit) {
        return {
          decision: "deny",
          reason: `denied by rule ${describeRule(rule)}${isBash ? ` (matched "${hit[0]}")` : ""}`,
        };
      }
    }

    const readOnly = call.readOnly && !call.destructive;
    const allowedByRule =
      allowRules.length > 0 && subjects.every((subject) => allowRules.some((rule) => covers(rule, subject)));

    // 2. Safety patterns (bypass-immune; never loosen plan or deny mode). Reading a file that holds secrets by
    // name (.env, keys) asks too, read-only tools included.
    const secretFile = normalPath === undefined ? undefined : findSensitiveFile(normalPath);
    if (readOnly && secretFile) {
      const reason = `${SENSITIVE_REASON_PREFIX} (${secretFile}: it may hold secrets); this always needs explicit approval`;
      const refuse = this.currentMode === "deny" && !allowedByRule;
      return { decision: refuse ? "deny" : "ask", reason, sensitive: secretFile };
    }
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
      const rule = allowRules.find((r) => covers(r, subjects[0]!))!;
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

/** One simple command of a bash command line, and the texts deny and allow rule patterns are matched against. */
interface BashSubject {
  /** The sub-command as written (shown in a denial's reason). */
  text: string;
  deny: string[];
  /** Empty when only an allow rule without a pattern covers it. */
  allow: string[];
  /** Set when it writes a file through a redirection: then only patterns that contain `>` cover it. */
  writes: boolean;
}

/** Sub-commands that only close a compound command and run nothing themselves. */
const CLOSING_WORD = /^(?:fi|done|esac|\}|\))$/;
/** How deep `bash -c "bash -c '…'"` scripts are followed. */
const MAX_SCRIPT_DEPTH = 8;

/**
 * The simple commands of a bash command line (see splitBashCommand) with the forms rule patterns match.
 * Deny forms: as written; without leading assignments, reserved words, grouping and case patterns (so
 * `if x; then rm y; fi` yields `rm y`); that with quotes and backslashes removed (`\rm`, `'rm'`); and the command
 * as bash reads its words, with the command name by basename (`/bin/rm` → `rm`), at every layer of wrappers
 * (`env`, `sudo`, `xargs`, `nohup`, … see wrappedCommands), also followed by a space as if given more arguments
 * (xargs appends its input, so `xargs rm` meets `rm *`). Scripts the command runs (`bash -c '…'`, `eval …`) add
 * their own sub-commands. Allow form: only the command as written, without leading reserved words and grouping, so
 * a rule for `git *` does not cover `env git …`, `FOO=1 git …` or `/usr/bin/git …`.
 */
function bashSubjects(command: string, depth = 0): BashSubject[] {
  const parts = splitBashCommand(command).filter((part) => !CLOSING_WORD.test(part));
  if (parts.length === 0 && depth === 0)
    return [{ text: command, deny: [command], allow: [command], writes: false }];
  return parts.flatMap((part) => {
    const bare = stripLeadingWords(part);
    const parsed = parseSimpleCommand(bare);
    const { commands, scripts } = wrappedCommands(parsed.words);
    const runs = [parsed.words, ...commands].filter((words) => words.length > 0);
    const deny = unique([
      part,
      stripAssignments(part),
      bare,
      dequote(bare),
      ...runs.flatMap((words) => {
        const form = [commandName(words[0]!), ...words.slice(1)].join(" ");
        return [form, `${form} `];
      }),
    ]);
    const subject = {
      text: part,
      deny,
      allow: [stripLeadingWords(part, false)],
      writes: writesToFile(parsed),
    };
    const inner =
      depth < MAX_SCRIPT_DEPTH ? scripts.flatMap((script) => bashSubjects(script, depth + 1)) : [];
    return [subject, ...inner];
  });
}

/** `text` with quotes and backslash escapes removed, roughly as bash reads the words (`\rm 'x'` → `rm x`). */
function dequote(text: string): string {
  return text.replace(/\\(.)|['"]/gs, (_, escaped: string | undefined) => escaped ?? "");
}

function unique(forms: string[]): string[] {
  return [...new Set(forms)];
}

/**
 * Whether an allow rule covers a sub-command: a rule without a pattern covers everything; one with a pattern must
 * match an allow form, and covers a sub-command that writes a file through a redirection only when the pattern
 * itself contains `>` (so `git *` does not cover `git log > notes.txt`).
 */
function covers(rule: PermissionRule, subject: BashSubject): boolean {
  if (rule.pattern === undefined) return true;
  if (subject.writes && !rule.pattern.includes(">")) return false;
  return subject.allow.some((text) => ruleMatches(rule, text));
}

/** `p` normalised as a POSIX path, without a trailing slash: `./a/../b/` → `b`, `x//y/./z` → `x/y/z`. */
function normalisePath(p: string): string {
  const normal = path.posix.normalize(p);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
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
