/** Flags → the agent's options, shared by print mode and the interactive UI. */
import type { SessionChoice } from "../agent/sessions.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { PrintOptions } from "./print-options.ts";

/** `--resume <id>` / `--continue` → the session to continue (`--resume` wins). */
export function sessionChoice(opts: PrintOptions): SessionChoice {
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

/** The flags that are config settings, as config's command-line layer (`provider`/`model` overridable). */
export function flagOverrides(opts: PrintOptions, arm: { provider?: string; model?: string } = {}) {
  const provider = arm.provider ?? opts.provider;
  const model = arm.model ?? opts.model;
  return {
    ...(provider !== undefined ? { provider } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(opts.baseUrl !== undefined && arm.provider === undefined ? { baseURL: opts.baseUrl } : {}),
    ...(opts.apiKey !== undefined && arm.provider === undefined ? { apiKey: opts.apiKey } : {}),
    ...(opts.contextWindow !== undefined ? { contextWindow: opts.contextWindow } : {}),
    ...(opts.maxTurns !== undefined ? { maxTurns: opts.maxTurns } : {}),
    ...(opts.permissionMode !== undefined ? { permissionMode: opts.permissionMode } : {}),
    ...(opts.twoStage !== undefined ? { twoStage: opts.twoStage } : {}),
    ...(opts.sandbox !== undefined ? { sandbox: opts.sandbox } : {}),
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
