import type { HookEvent } from "../../config/schema.ts";

/** Default time a hook may run, ms (Claude Code's default: 60 s). */
export const DEFAULT_HOOK_TIMEOUT_MS = 60_000;

/** One hook, from whichever file defined it. */
export interface HookSpec {
  event: HookEvent;
  /** Regex on the tool name (tool events); undefined, "" or "*": every tool. */
  matcher?: string;
  /** Shell command, run with `sh -c`. */
  command: string;
  /** Ms before it is killed. */
  timeoutMs: number;
  /** Where it was defined (a file path, or "plugin NAME"), for notices. */
  source: string;
  /** Extra environment for the command (a plugin's `CLAUDE_PLUGIN_ROOT`). */
  env?: Record<string, string>;
}

/**
 * Whether `matcher` selects a tool: a regex matched against the whole of either name (owlet's `bash` or Claude
 * Code's `Bash`), as Claude Code's matchers (`Edit|Write`, `mcp__memory__.*`); no matcher, `""` or `*` matches
 * every tool. An invalid regex matches the name literally.
 */
export function matcherSelects(matcher: string | undefined, names: readonly string[]): boolean {
  if (matcher === undefined || matcher === "" || matcher === "*") return true;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${matcher})$`);
  } catch {
    return names.includes(matcher);
  }
  return names.some((n) => re.test(n));
}
