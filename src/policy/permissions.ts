import path from "node:path";
import { GRAMMAR_NOT_LOADED } from "../tool/shell/analyse.ts";
import { loadBashGrammar } from "../tool/shell/grammar.ts";
import type { ToolCategory } from "../tool/types.ts";
import { type BashSubject, bashSubjects } from "./bash-subjects.ts";
import { matchGlob } from "./glob.ts";
import { isPermissionMode, type PermissionMode, type PermissionRule } from "./modes.ts";
import {
  findSensitiveFile,
  findSensitiveTarget,
  SANDBOX_MISSING_PREFIX,
  SENSITIVE_REASON_PREFIX,
} from "./safety.ts";

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
  /**
   * Whether bash commands will run in the sandbox: undefined or `{ ok: true }` when they will (or the sandbox is
   * off by the user's choice), `{ ok: false, reason }` when it is wanted but bubblewrap is missing or refused;
   * then every bash call asks (see check). Called once, on the first bash call, by {@link PermissionPolicy.decide}.
   */
  sandbox?: () => Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Told once (e.g. printed on stderr) when the sandbox is unavailable. */
  warn?: (message: string) => void;
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
 * 0. bash commands over 64 KiB, or too complex to analyse within 1 s, are refused in every mode (see analyseBash);
 * 1. deny rules (win in every mode, bypass included; for bash every simple command the bash grammar finds is
 *    checked — lists, pipelines, subshells, functions, here-strings, here-documents, `coproc`, command and process
 *    substitutions, `bash -c` / `eval` scripts and literal scripts fed to a shell — as written and as bash reads
 *    its words (quotes removed, braces expanded), by the command's basename (`/bin/rm`), a glob name tried against
 *    the rule (`/bin/r?`), and through wrappers such as `env`, `sudo`, `xargs`, `nohup` (see bashSubjects);
 *    for `fs_*` paths both the path as
 *    written and its normalised form, so `./secrets/x` and `src/../secrets/x` meet a `secrets/*` rule);
 * 2. safety patterns (bypass-immune): for non-read-only tools a protected path (see safety.ts), for read-only
 *    `fs_*` tools a file that holds secrets by name (`.env`, keys: findSensitiveFile) → `ask`
 *    (`deny` in plan mode, and in deny mode unless an allow rule matches, so they never loosen a mode);
 * 2b. bash while the sandbox is wanted but unavailable → `ask` in every mode (plan: the mode decides);
 * 3. bypass mode → allow;
 * 4. allow rules (for bash, every sub-command must be covered by an allow rule, matched as written, and what the
 *    grammar cannot resolve — a command name computed at run time, `eval` of a dynamic string, input piped into an
 *    interpreter, an option naming a program (see bashSubjects) — is not covered by a rule with a pattern: it asks
 *    (deny and plan modes refuse), unless a rule without a pattern allows the whole tool; a rule for `git *` never covers `env git …`, `FOO=1 git …` or `sudo git …`, nor `git log > file` unless its pattern
 *    contains `>` (see covers); an `fs_*` path is matched in its normalised form only, so `src/../package.json`
 *    does not meet a `src/*` rule);
 * 5. the mode: default asks for everything; accept_edits allows read-only and non-destructive write-category
 *    tools and asks for the rest; deny denies; plan allows read-only tools and denies the rest; auto allows
 *    read-only tools and asks for the rest. A destructive tool never counts as read-only.
 */
export class PermissionPolicy {
  private currentMode: PermissionMode;
  private readonly ruleList: PermissionRule[];
  private readonly sandboxProbe: PermissionPolicyOptions["sandbox"];
  private readonly warn: (message: string) => void;
  private sandboxChecked: Promise<void> | undefined;
  /** Why bash runs unsandboxed although the sandbox is wanted, once probed. */
  private sandboxMissing: string | undefined;

  /** Throws an Error naming the problem when the mode or a rule is invalid. */
  constructor(options: PermissionPolicyOptions) {
    this.currentMode = checkedMode(options.mode);
    this.sandboxProbe = options.sandbox;
    this.warn = options.warn ?? (() => {});
    this.ruleList = (options.rules ?? []).map((rule, index) => checkedRule(rule, index));
  }

  /** The rules in force, in order: the configured ones, then those added this session (copies). */
  get rules(): PermissionRule[] {
    return this.ruleList.map((rule) => ({ ...rule }));
  }

  /**
   * Adds a rule for the rest of this process (the interactive UI's "allow always for this session"; nothing is
   * saved). It is checked like a configured rule: deny rules, safety patterns and the sandbox rule still come
   * first, so an added allow rule never reaches a protected path. Throws like the constructor on a bad rule.
   */
  addRule(rule: PermissionRule): void {
    this.ruleList.push(checkedRule(rule, this.ruleList.length));
  }

  /** Removes the rule at `index` (0-based, as listed by {@link rules}); false when there is none. */
  removeRule(index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.ruleList.length) return false;
    this.ruleList.splice(index, 1);
    return true;
  }

  /** The current mode. */
  get mode(): PermissionMode {
    return this.currentMode;
  }

  /** Switches mode (e.g. the TUI's mode cycling). Throws on an unknown mode. */
  setMode(mode: PermissionMode): void {
    this.currentMode = checkedMode(mode);
  }

  /**
   * Decides one tool call as {@link check} does, first (for bash, once per process) loading the bash grammar and
   * probing the sandbox; says once through `warn` when the sandbox is wanted but unavailable. A grammar that
   * cannot load makes bash calls ask (check's "not analysed" case).
   */
  async decide(call: PermissionCall): Promise<PermissionResult> {
    if (call.tool === "bash") {
      await loadBashGrammar().catch(() => undefined);
      this.sandboxChecked ??= this.probeSandbox();
      await this.sandboxChecked;
    }
    return this.check(call);
  }

  private async probeSandbox(): Promise<void> {
    if (!this.sandboxProbe) return;
    const status = await this.sandboxProbe();
    if (status.ok) return;
    this.sandboxMissing = status.reason;
    this.warn(
      `the bash sandbox is unavailable: ${status.reason}. Every bash command will ask for approval; ` +
        'install bubblewrap, or pass --sandbox off (or set [sandbox] mode = "off") to run bash unsandboxed.',
    );
  }

  /**
   * Decides one tool call; pure apart from reading the current mode, rules and the sandbox probe's outcome. Bash
   * commands are analysed with the bash grammar, which must have been loaded (see decide, loadBashGrammar);
   * otherwise they are treated as not analysable and ask.
   */
  check(call: PermissionCall): PermissionResult {
    const main = mainArgument(call.tool, call.args);
    const isBash = call.tool === "bash";
    const fsPath = fsPathArgument(call.tool, call.args);
    const normalPath = fsPath === undefined ? undefined : normalisePath(fsPath);
    const analysed = isBash ? bashSubjects(main) : undefined;
    // A command too large (or complex) to analyse is refused in every mode: deny rules could not be checked.
    if (analysed?.refused) {
      return analysed.refused === GRAMMAR_NOT_LOADED
        ? {
            decision: this.currentMode === "plan" ? "deny" : "ask",
            reason: "the command could not be analysed (the bash grammar did not load)",
          }
        : { decision: "deny", reason: `not run: ${analysed.refused}` };
    }
    // Deny rules see every form; allow rules only the normalised path (`..` cannot climb out of a rule's scope).
    const subjects: BashSubject[] = analysed
      ? analysed.subjects
      : [
          {
            text: main,
            deny: normalPath === undefined ? [main] : unique([main, normalPath]),
            allow: [normalPath ?? main],
            writes: false,
          },
        ];
    const toolRules = this.ruleList.filter((rule) => matchGlob(rule.tool, call.tool));
    const denyRules = toolRules.filter((rule) => rule.action === "deny");
    const allowRules = toolRules.filter((rule) => rule.action === "allow");

    // 1. Deny rules: the whole command or any sub-command.
    const denyForms = isBash ? [[main], ...subjects.map((s) => [s.text, ...s.deny])] : [subjects[0]!.deny];
    for (const rule of denyRules) {
      const hit =
        denyForms.find((forms) => forms.some((text) => ruleMatches(rule, text))) ??
        subjects.filter((s) => s.globWords && globNameMatches(rule, s.globWords)).map((s) => [s.text])[0];
      if (hit) {
        return {
          decision: "deny",
          reason: `denied by rule ${describeRule(rule)}${isBash ? ` (matched "${hit[0]}")` : ""}`,
        };
      }
    }

    const readOnly = call.readOnly && !call.destructive;
    const unresolved = analysed?.unresolved ?? [];
    const covered =
      allowRules.length > 0 && subjects.every((subject) => allowRules.some((rule) => covers(rule, subject)));
    // What the analysis cannot resolve is not vouched for by a pattern (a rule without one allows the whole tool).
    const allowedByRule =
      covered && (unresolved.length === 0 || allowRules.some((rule) => rule.pattern === undefined));

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

    // The sandbox is wanted but unavailable: every bash call asks, in every mode (bypass included), so nothing
    // runs unconfined without a person's say-so; plan mode still refuses.
    if (isBash && this.sandboxMissing !== undefined && this.currentMode !== "plan") {
      return {
        decision: "ask",
        reason: `${SANDBOX_MISSING_PREFIX} (${this.sandboxMissing})`,
      };
    }

    // 3. Bypass.
    if (this.currentMode === "bypass") return { decision: "allow", reason: "bypass mode" };

    // What the analysis cannot resolve asks (deny and plan modes refuse) instead of meeting an allow rule.
    if (unresolved.length > 0 && allowRules.length > 0 && !allowedByRule) {
      const reason = `needs approval: ${unresolved.join("; ")}`;
      const refuse = this.currentMode === "deny" || this.currentMode === "plan";
      return { decision: refuse ? "deny" : "ask", reason };
    }

    // 4. Allow rules.
    if (allowedByRule) {
      const rule = allowRules.find((r) => covers(r, subjects[0]!))!;
      return { decision: "allow", reason: `allowed by rule ${describeRule(rule)}` };
    }

    // 5. The mode.
    return modeDecision(this.currentMode, call, readOnly);
  }
}

/** A copy of `rule`, checked: a non-empty tool glob and an allow/deny action (`index` is 0-based, for the error). */
function checkedRule(rule: PermissionRule, index: number): PermissionRule {
  if (!rule.tool) throw new Error(`permission rule ${index + 1}: "tool" must be a non-empty glob`);
  if (rule.action !== "allow" && rule.action !== "deny") {
    throw new Error(
      `permission rule ${index + 1}: "action" must be "allow" or "deny", got "${String(rule.action)}"`,
    );
  }
  return { ...rule };
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

function unique(forms: string[]): string[] {
  return [...new Set(forms)];
}

/**
 * Whether a deny rule meets a command whose name is a glob (`/bin/r? -rf x`): the rule pattern's first word, when
 * literal, is tried as the name the glob would find (`r?` matches `rm`), followed by the command's other words.
 */
function globNameMatches(rule: PermissionRule, words: readonly string[]): boolean {
  if (rule.pattern === undefined) return false;
  const first = rule.pattern.split(" ")[0]!;
  if (first === "" || /[*?[]/.test(first)) return false;
  const name = words[0]!;
  const base = name.slice(name.lastIndexOf("/") + 1);
  if (!matchGlob(name, first) && !matchGlob(base, first)) return false;
  const form = [first, ...words.slice(1)].join(" ");
  return ruleMatches(rule, form) || ruleMatches(rule, `${form} `);
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
