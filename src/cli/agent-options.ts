/**
 * Flags → the agent's options and config's command-line layer, shared by print mode, the subcommands that run a
 * model (agent-setup.ts) and the interactive UI (interactive.ts). Light on purpose (types and the small Claude
 * Code rule mapping only): the UI imports it before its first frame, ahead of config and the agent.
 */
import type { AgentOptions } from "../agent/agent.ts";
import type { SessionChoice } from "../agent/sessions.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { PrintOptions } from "./print-options.ts";
import { owletPermissionMode, toolFlagRules, toolSetRules } from "./stream-json/rules.ts";

/** `--resume <id>` / `--continue` → the session to continue (`--resume` wins). */
export function sessionChoice(opts: Pick<PrintOptions, "resume" | "continue">): SessionChoice {
  if (opts.resume) return { kind: "resume", id: opts.resume };
  if (opts.continue) return { kind: "latest" };
  return { kind: "new" };
}

/** The one warning for an untrusted project whose config tried to raise permissions: what was ignored, and how to trust. */
export function untrustedWarning(loaded: LoadedConfig): string {
  return (
    `${loaded.trust.projectFile} is in a folder you have not trusted, so these settings were ignored: ` +
    `${loaded.trust.ignored.join(", ")}. If you trust this repository, run: owlet trust ${loaded.projectRoot}`
  );
}

/**
 * The flags that are config settings, as config's command-line layer; `arm` (the UI's /model, /provider)
 * overrides `--provider`/`--model`, and a provider chosen there drops `--base-url`/`--api-key`.
 * `--dangerously-skip-permissions` is `--permission-mode bypass`, and Claude Code's mode names map to owlet's
 * (acceptEdits → accept_edits, …).
 */
export function flagOverrides(opts: PrintOptions, arm: { provider?: string; model?: string } = {}) {
  const provider = arm.provider ?? opts.provider;
  const model = arm.model ?? opts.model;
  const mode = opts.dangerouslySkipPermissions ? "bypass" : opts.permissionMode;
  return {
    ...(provider !== undefined ? { provider } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(opts.baseUrl !== undefined && arm.provider === undefined ? { baseURL: opts.baseUrl } : {}),
    ...(opts.apiKey !== undefined && arm.provider === undefined ? { apiKey: opts.apiKey } : {}),
    ...(opts.contextWindow !== undefined ? { contextWindow: opts.contextWindow } : {}),
    ...(opts.maxTurns !== undefined ? { maxTurns: opts.maxTurns } : {}),
    ...(mode !== undefined ? { permissionMode: owletPermissionMode(mode) } : {}),
    ...(opts.twoStage !== undefined ? { twoStage: opts.twoStage } : {}),
    ...(opts.sandbox !== undefined ? { sandbox: opts.sandbox } : {}),
  };
}

/**
 * Appends the tool flags (`--allowedTools`, `--disallowedTools`, `--tools`, Claude Code's rule syntax) to the
 * loaded config's permission rules, after every file's: the command line is the user's own, the highest layer.
 * Mutates and returns `loaded`. Throws UserError for a rule it cannot read.
 */
export function withToolFlagRules(loaded: LoadedConfig, opts: PrintOptions): LoadedConfig {
  loaded.config.permission.rules = [
    ...loaded.config.permission.rules,
    ...toolFlagRules(opts.allowedTools ?? [], opts.disallowedTools ?? []),
    ...(opts.tools !== undefined ? toolSetRules([opts.tools]) : []),
  ];
  return loaded;
}

/**
 * The agent options the flags set: the pinned arm (`--provider`/`--model`), `--local-only`, `--seed`, `--system`
 * (or Claude Code's `--system-prompt`), `--append-system-prompt`, `--no-session-persistence` (persist false).
 */
export function agentFlagOptions(
  opts: PrintOptions,
): Pick<
  AgentOptions,
  "pinnedArm" | "localOnly" | "seed" | "systemPrompt" | "appendSystemPrompt" | "persist"
> {
  const system = opts.systemPrompt ?? opts.system;
  return {
    pinnedArm: opts.provider !== undefined || opts.model !== undefined,
    localOnly: opts.localOnly === true,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(system !== undefined ? { systemPrompt: system } : {}),
    ...(opts.appendSystemPrompt ? { appendSystemPrompt: opts.appendSystemPrompt } : {}),
    ...(opts.sessionPersistence === false ? { persist: false } : {}),
  };
}

/** The HTTP timeouts of `[engine]` (seconds) as setHttpTimeouts' ms: connect, and the longest a body may stall. */
export function httpTimeoutsMs(config: LoadedConfig["config"]): { connectMs: number; bodyMs: number } {
  const e = config.engine;
  return {
    connectMs: e.connect_timeout * 1000,
    bodyMs:
      (Math.max(e.first_byte_timeout, e.first_byte_timeout_local, e.idle_timeout, e.idle_timeout_local) +
        30) *
      1000,
  };
}
