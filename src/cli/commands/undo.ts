/** `owlet undo [--turn N] [--session ID]`: restore the files of a turn and cut the conversation back before it. */
import { undoInProject } from "../../agent/session-admin.ts";
import { EXIT, UserError } from "../exit-codes.ts";

/**
 * Undoes the last turn (or `--turn N` and every later one) of the latest session (or `--session ID`): prints
 * each file restored, deleted or skipped, and the turns removed. Returns 0, or 1 when a file could not be
 * restored; UserError (exit 2) for an unknown session or turn, a session in use, or no checkpoints.
 */
export async function runUndo(opts: {
  turn?: number;
  session?: string;
  cwd?: string;
  out: NodeJS.WritableStream;
}): Promise<number> {
  let result: Awaited<ReturnType<typeof undoInProject>>;
  try {
    result = await undoInProject(opts.cwd ?? process.cwd(), process.env, {
      ...(opts.session ? { id: opts.session } : {}),
      ...(opts.turn !== undefined ? { turn: opts.turn } : {}),
    });
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const prompt = result.prompt.length > 60 ? `${result.prompt.slice(0, 59)}…` : result.prompt;
  opts.out.write(
    `session ${result.session}: undid turn ${result.turn} ("${prompt}")${result.turnsRemoved > 1 ? ` and ${result.turnsRemoved - 1} later turn(s)` : ""}\n`,
  );
  if (result.files.length === 0) opts.out.write("  no files were changed by tools in those turns\n");
  for (const f of result.files) opts.out.write(`  ${f.action} ${f.path}${f.reason ? `: ${f.reason}` : ""}\n`);
  return result.files.some((f) => f.action === "skipped") ? EXIT.turnFailed : EXIT.ok;
}
