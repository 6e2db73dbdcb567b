/**
 * Claude Code's print-mode flags that `@anthropic-ai/claude-agent-sdk` passes to its executable (sdk.mjs,
 * ProcessTransport.initialize) and owlet accepts without acting on, so the SDK and scripts written for Claude
 * Code can run owlet. Those that would change what a run does print one warning naming what was ignored; the
 * rest (debug output, thinking and effort settings, setting sources, hook events) are silently accepted.
 * The flags owlet does honour (formats, tool rules, prompts, budget, permission prompts, resume) are in main.ts.
 */
import { type Command, Option } from "commander";

/** Flags accepted and ignored with a warning: `[flag, what owlet does instead]`. */
const WARNED: readonly (readonly [string, string])[] = [
  ["--mcp-config <configs...>", "owlet has no MCP client in print mode"],
  ["--json-schema <schema>", "owlet has no structured output mode"],
  ["--agent <name>", "owlet has no named agents"],
  ["--fallback-model <model>", "owlet fails over between [[arms]] instead"],
  ["--add-dir <dirs...>", "the workspace is --cwd only"],
  ["--session-id <uuid>", "owlet names its sessions itself"],
  ["--fork-session", "a resumed session is continued, not forked"],
  ["--resume-session-at <id>", "a resumed session is continued whole"],
  ["--plugin-dir <dir>", "owlet has no plugins"],
  ["--plugin-dir-no-mcp <dir>", "owlet has no plugins"],
  ["--channels <channel>", "owlet has no channels"],
  ["--task-budget <tokens>", "use --max-turns or --max-budget-usd"],
];

/** Flags accepted and ignored silently (they change nothing a print-mode user of owlet would see). */
const SILENT: readonly string[] = [
  "--setting-sources <sources>",
  "--strict-mcp-config",
  "--debug [filter]",
  "--debug-file <path>",
  "--debug-to-stderr",
  "--betas <betas>",
  "--thinking <mode>",
  "--max-thinking-tokens <tokens>",
  "--thinking-display <display>",
  "--effort <level>",
  "--include-hook-events",
  "--allow-dangerously-skip-permissions",
  "--replay-user-messages",
  "--await-initialize",
  "--initialize-fields <fields>",
  "--managed-settings <json>",
  "--managed-settings-in-initialize",
  "--permission-prompts <kinds>",
  "--resume-drops-turn <n>",
  "--session-mirror",
  "--project-config-root <dir>",
];

/** Registers the accepted-and-ignored Claude Code flags on `program`, hidden from --help. */
export function addIgnoredClaudeFlags(program: Command): void {
  for (const [flags] of WARNED) program.addOption(new Option(flags).hideHelp());
  for (const flags of SILENT) program.addOption(new Option(flags).hideHelp());
}

/** One warning line (without prefix) per warned flag that was given in `opts` (commander's parsed options). */
export function ignoredFlagWarnings(opts: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [flags, instead] of WARNED) {
    const long = flags.split(" ")[0]!;
    const key = long.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (opts[key] !== undefined) out.push(`ignoring ${long}: ${instead}`);
  }
  return out;
}
