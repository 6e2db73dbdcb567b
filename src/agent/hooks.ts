/** The agent's hooks: which hook files count (trust), and the hook events fired around a session and its turns. */
import type { LoadedConfig } from "../config/load.ts";
import { isTrustedFolder } from "../config/trust.ts";
import { type HookContext, Hooks } from "../extension/hooks/hooks.ts";
import { claudeHooks, claudeSettingsFiles, configHooks, readJsonFile } from "../extension/hooks/sources.ts";
import type { HookSpec } from "../extension/hooks/spec.ts";
import type { Asker } from "../policy/index.ts";

/**
 * The hooks of this agent: `[hooks]` of the merged config (an untrusted project's own `[hooks]` were already
 * dropped by loadConfig, see restrictUntrusted), the hook blocks of the project's `.claude/settings.json` and
 * `.claude/settings.local.json` only when the project folder is trusted (else one notice naming them and
 * `owlet trust`), and `extra` (plugins'). A settings file that is not valid JSON is reported and skipped.
 */
export function loadHooks(
  loaded: LoadedConfig,
  ctx: HookContext,
  env: NodeJS.ProcessEnv,
  extra: readonly HookSpec[] = [],
): Hooks {
  const specs: HookSpec[] = [...configHooks(loaded.config)];
  const files = claudeSettingsFiles(loaded.projectRoot);
  const trusted = files.length > 0 && isTrustedFolder(loaded.projectRoot, env);
  const skipped: string[] = [];
  const untrusted: string[] = [];
  for (const file of files) {
    let found: HookSpec[];
    try {
      found = claudeHooks(file, readJsonFile(file), skipped);
    } catch (err) {
      ctx.notify(`${err instanceof Error ? err.message : String(err)}; its hooks were not loaded`);
      continue;
    }
    if (trusted) specs.push(...found);
    else if (found.length > 0) untrusted.push(file);
  }
  if (untrusted.length > 0)
    ctx.notify(
      `${untrusted.join(" and ")} ${untrusted.length === 1 ? "has" : "have"} hooks, but ${loaded.projectRoot} is not a trusted folder, so they were ignored. If you trust this repository, run: owlet trust ${loaded.projectRoot}`,
    );
  for (const line of skipped) ctx.notify(`hook skipped: ${line}`);
  specs.push(...extra);
  return new Hooks(specs, ctx);
}

/**
 * `ask` with the Notification hooks fired first (Claude Code fires them when it needs the user's permission):
 * `{"message": "owlet needs your permission to use bash"}`. The hooks run while the question waits.
 */
export function notifyingAsker(ask: Asker, hooks: Hooks, track: (p: Promise<unknown>) => void): Asker {
  return async (request) => {
    if (hooks.has("Notification"))
      track(hooks.run("Notification", { message: `owlet needs your permission to use ${request.tool}` }));
    return ask(request);
  };
}
