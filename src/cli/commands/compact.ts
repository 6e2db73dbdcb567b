/** `owlet compact [--session ID] [focus]`: summarise a stored conversation's older rounds now. */

import { buildCliAgent } from "../agent-setup.ts";
import { EXIT, UserError } from "../exit-codes.ts";
import type { PrintOptions } from "../print-options.ts";

/**
 * Compacts a session (`--session ID`, default the latest of the project): its older rounds are replaced by a
 * summary written by the summary arm (`[context] summary_arm`) or the session's arm, stored as a summary record;
 * the latest rounds stay verbatim, and `--resume` continues from the compacted view (`owlet sessions show ID
 * --full` still shows everything). `focus` says what the summary should keep. Prints the sizes before and after
 * (tokens) and returns 0; 1 when there was nothing to compact or the summary request failed. Setup errors
 * propagate (UserError, ConfigError, AgentSetupError, ProviderError) for the caller to report.
 */
export async function runCompact(
  focusWords: string[],
  opts: PrintOptions & { session?: string },
  out: NodeJS.WritableStream,
): Promise<number> {
  if (opts.sessionPersistence === false)
    throw new UserError("compact: --no-session-persistence would discard the summary");
  const { agent } = await buildCliAgent({
    ...opts,
    ...(opts.session ? { resume: opts.session } : { continue: true }),
  });
  const focus = focusWords.join(" ").trim();
  if (!agent.session) {
    await agent.close();
    throw new UserError(
      "compact: sessions are off ([session] enabled = false), so there is no session to compact",
    );
  }
  try {
    const record = await agent.compact(focus || undefined);
    if (!record) {
      out.write(`session ${agent.session?.id}: nothing to compact (too few rounds before the latest)\n`);
      return EXIT.turnFailed;
    }
    out.write(
      `session ${agent.session?.id}: compacted by ${record.arm}, ${record.tokensBefore} → ${record.tokensAfter} tokens (${record.keptMessages} latest messages kept verbatim)\n`,
    );
    return EXIT.ok;
  } catch (err) {
    process.stderr.write(`owlet: compact: the summary request failed: ${(err as Error).message}\n`);
    return EXIT.turnFailed;
  } finally {
    await agent.close();
  }
}
