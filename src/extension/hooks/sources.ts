import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HOOK_EVENTS, type HookEvent, type OwletConfig } from "../../config/schema.ts";
import { DEFAULT_HOOK_TIMEOUT_MS, type HookSpec } from "./spec.ts";

/** The `[hooks]` of the merged config (user file, a trusted project's file, `--config`) as hook specs. */
export function configHooks(config: OwletConfig): HookSpec[] {
  const out: HookSpec[] = [];
  for (const event of HOOK_EVENTS) {
    for (const h of config.hooks[event] ?? []) {
      out.push({
        event,
        ...(h.matcher !== undefined ? { matcher: h.matcher } : {}),
        command: h.command,
        timeoutMs: h.timeout_ms ?? DEFAULT_HOOK_TIMEOUT_MS,
        source: "config",
      });
    }
  }
  return out;
}

/** The Claude Code settings files whose hook blocks owlet reads in a project (shared, then local). */
export function claudeSettingsFiles(projectRoot: string): string[] {
  return [".claude/settings.json", ".claude/settings.local.json"]
    .map((f) => join(projectRoot, f))
    .filter((f) => existsSync(f));
}

/**
 * The hook blocks of a Claude Code settings file (`{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks":
 * [{"type": "command", "command": "…", "timeout": 30}]}]}}`, timeout in seconds) as hook specs; `env` is added
 * to each (a plugin's root). Hooks of another type than `command` and events owlet does not have are skipped
 * with a line in `skipped`. Throws an Error naming the file when it is not JSON or `hooks` has the wrong shape.
 */
export function claudeHooks(
  file: string,
  value: unknown,
  skipped: string[],
  env?: Record<string, string>,
): HookSpec[] {
  const hooks = (value as { hooks?: unknown } | null)?.hooks;
  if (hooks === undefined) return [];
  if (!isObject(hooks)) throw new Error(`${file}: "hooks" must be an object of events`);
  const out: HookSpec[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      skipped.push(`${file}: event ${event} (owlet has no such event)`);
      continue;
    }
    if (!Array.isArray(groups)) throw new Error(`${file}: hooks.${event} must be a list`);
    for (const group of groups) {
      const matcher = isObject(group) && typeof group.matcher === "string" ? group.matcher : undefined;
      const entries = isObject(group) && Array.isArray(group.hooks) ? group.hooks : [];
      for (const entry of entries) {
        if (!isObject(entry) || entry.type !== "command" || typeof entry.command !== "string") {
          skipped.push(`${file}: a ${event} hook of type ${String(isObject(entry) ? entry.type : entry)}`);
          continue;
        }
        out.push({
          event: event as HookEvent,
          ...(matcher !== undefined ? { matcher } : {}),
          command: entry.command,
          timeoutMs:
            typeof entry.timeout === "number" && entry.timeout > 0
              ? entry.timeout * 1000
              : DEFAULT_HOOK_TIMEOUT_MS,
          source: file,
          ...(env ? { env } : {}),
        });
      }
    }
  }
  return out;
}

/** Reads a JSON file; throws an Error naming it when it cannot be read or parsed. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
