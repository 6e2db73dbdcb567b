/** `owlet init [--force]`: write an AGENTS.md for the repository from what a model reads in it. */
import { AgentsMdExistsError, initAgentsMd } from "../../agent/init.ts";
import { buildCliAgent } from "../agent-setup.ts";
import { EXIT, UserError } from "../exit-codes.ts";
import type { PrintOptions } from "../print-options.ts";

/**
 * Runs the init turn with read-only tools (the model reads; owlet writes the file) and writes
 * `<project root>/AGENTS.md`. Returns 0 when written, 1 when the turn failed; UserError (exit 2) when the file exists
 * without `--force`. Setup errors propagate for the caller to report.
 */
export async function runInit(
  opts: PrintOptions & { force?: boolean },
  out: NodeJS.WritableStream,
): Promise<number> {
  const { agent, loaded } = await buildCliAgent(opts, { toolFilter: (tool) => tool.readOnly });
  try {
    const result = await initAgentsMd(agent, loaded.projectRoot, { force: opts.force === true });
    out.write(`wrote ${result.path} (${result.text.split("\n").length - 1} lines)\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AgentsMdExistsError) throw new UserError(err.message);
    process.stderr.write(`owlet: init: ${(err as Error).message}\n`);
    return EXIT.turnFailed;
  } finally {
    await agent.close();
  }
}
