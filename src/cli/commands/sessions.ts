/** `owlet sessions list | show ID | rm ID | prune --older-than 30d`: the project's stored conversations. */
import { projectSessions } from "../../agent/session-admin.ts";
import type { SessionSnapshot, SessionStore } from "../../session/index.ts";
import { EXIT, UserError } from "../exit-codes.ts";
import { renderTranscript } from "../output/transcript.ts";

/** What every `owlet sessions` command needs: where to write, the directory it runs for, the environment. */
export interface SessionsCommandOptions {
  out: NodeJS.WritableStream;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  json?: boolean;
}

/** The sessions of the project the directory belongs to (its root as config finds it). */
function storeFor(opts: SessionsCommandOptions): SessionStore {
  return projectSessions(opts.cwd ?? process.cwd(), opts.env ?? process.env);
}

/** One session's line of figures for `list` and `show`: tokens in/out (tokens) and cost (USD). */
interface SessionFigures {
  id: string;
  title: string;
  modified: string;
  model: string;
  turns: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  summaries: number;
}

function figures(s: SessionSnapshot): SessionFigures {
  return {
    id: s.id,
    title: s.title?.title ?? "",
    modified: s.modifiedAt.toISOString(),
    model: `${s.meta.provider}/${s.meta.model}`,
    turns: s.turns.length,
    input_tokens: s.usage.inputTokens,
    output_tokens: s.usage.outputTokens,
    cost_usd: Number(s.costUsd.toFixed(6)),
    summaries: s.summaries,
  };
}

/** `$0.0123`, or `-` when nothing was priced. */
function usd(n: number): string {
  return n === 0 ? "-" : `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`;
}

/**
 * `owlet sessions list`: every session of the project, most recently used first: id, last use, turns, tokens,
 * cost and title (`--json`: an array of objects). A corrupt session is listed with its error. Returns 0.
 */
export function runSessionsList(opts: SessionsCommandOptions): number {
  const store = storeFor(opts);
  const rows: SessionFigures[] = [];
  const broken: string[] = [];
  for (const info of store.list()) {
    try {
      rows.push(figures(store.read(info.id)));
    } catch (err) {
      broken.push(`${info.id}  (unreadable: ${(err as Error).message})`);
    }
  }
  if (opts.json) {
    opts.out.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0 && broken.length === 0) {
    opts.out.write(`no sessions in ${store.dir}\n`);
    return EXIT.ok;
  }
  for (const r of rows) {
    const when = r.modified.slice(0, 16).replace("T", " ");
    opts.out.write(
      `${r.id}  ${when}  ${r.turns} turn${r.turns === 1 ? "" : "s"}  ${r.input_tokens}+${r.output_tokens} tokens  ${usd(r.cost_usd)}  ${r.title}\n`,
    );
  }
  for (const line of broken) opts.out.write(`${line}\n`);
  return EXIT.ok;
}

/**
 * `owlet sessions show ID [--full]`: the session's figures and its conversation as a resume continues it (the
 * latest summary, then what came after); `--full` shows every message ever stored instead. `--json` prints the
 * figures and the messages as JSON. Throws UserError (exit 2) for a malformed or unknown id.
 */
export function runSessionsShow(id: string, opts: SessionsCommandOptions & { full?: boolean }): number {
  let snap: SessionSnapshot;
  try {
    snap = storeFor(opts).read(id);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const messages = opts.full ? snap.messages : snap.view;
  if (opts.json) {
    opts.out.write(`${JSON.stringify({ ...figures(snap), messages }, null, 2)}\n`);
    return EXIT.ok;
  }
  const f = figures(snap);
  opts.out.write(
    [
      `session ${f.id}${f.title ? `: ${f.title}` : ""}`,
      `model ${f.model}, started ${snap.meta.created_at}, last used ${f.modified}`,
      `${f.turns} turns, ${f.input_tokens} prompt + ${f.output_tokens} completion tokens, cost ${usd(f.cost_usd)}, ${f.summaries} summaries`,
      opts.full || f.summaries === 0
        ? `${messages.length} messages${opts.full ? " (full history)" : ""}`
        : `${snap.messages.length} messages stored; shown as resumed (owlet sessions show ${f.id} --full for all)`,
      "",
    ].join("\n"),
  );
  opts.out.write(renderTranscript(messages));
  return EXIT.ok;
}

/** `owlet sessions rm ID`: deletes the session and its saved tool output. UserError (exit 2) when unknown or in use. */
export function runSessionsRm(id: string, opts: SessionsCommandOptions): number {
  try {
    storeFor(opts).remove(id);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  opts.out.write(`removed session ${id}\n`);
  return EXIT.ok;
}

/** Units of `--older-than`: minutes, hours, days, weeks, in ms. */
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `12h`, `2w`, `90m` → ms. Throws UserError for anything else. */
export function parseAge(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(text.trim());
  if (!m) throw new UserError(`--older-than: "${text}" is not an age; use e.g. 30d, 12h, 2w or 90m`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}

/**
 * `owlet sessions prune --older-than AGE [--dry-run]`: deletes the sessions last used more than AGE ago (sessions
 * in use are skipped and named). Returns 0.
 */
export function runSessionsPrune(
  opts: SessionsCommandOptions & { olderThan: string; dryRun?: boolean },
): number {
  const age = parseAge(opts.olderThan);
  const { removed, busy } = storeFor(opts).prune(age, { dryRun: opts.dryRun === true });
  const verb = opts.dryRun ? "would remove" : "removed";
  opts.out.write(
    `${verb} ${removed.length} session${removed.length === 1 ? "" : "s"} last used over ${opts.olderThan} ago\n`,
  );
  for (const id of removed) opts.out.write(`  ${id}\n`);
  for (const id of busy) opts.out.write(`  ${id} skipped: in use\n`);
  return EXIT.ok;
}
