import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { summaryMessages } from "../context/summary.ts";
import { addUsage, emptyUsage } from "../message/build.ts";
import type { Message, Usage } from "../message/types.ts";
import { assertSessionId, newSessionId, SESSION_ID_PATTERN } from "./id.ts";
import { lockSession, releaseSessionLock } from "./lock.ts";
import {
  type ChangeRecord,
  isChangeRecord,
  isMessageRecord,
  isMetaRecord,
  isSubagentRecord,
  isSummaryRecord,
  isTitleRecord,
  isTurnRecord,
  isUsageRecord,
  SESSION_FORMAT_VERSION,
  type SessionMeta,
  type SessionRecord,
  type SummaryRecord,
  type TitleRecord,
  type TurnRecord,
} from "./records.ts";

/** Longest prompt kept in a turn record, chars (the full prompt is the turn's first message record). */
export const TURN_PROMPT_CHARS = 200;

/** A summary compaction to store (the engine's CompactionRecord has this shape). Tokens throughout. */
export interface NewSummary {
  summary: string;
  /** Messages at the end of the history kept verbatim; every message before them is replaced. */
  keptMessages: number;
  prompt?: string;
  trigger: "auto" | "manual";
  arm: string;
  usage: Usage;
  tokensBefore: number;
  tokensAfter: number;
}

/** What a session file holds, read without taking its lock (`owlet sessions show`, `list`). */
export interface SessionSnapshot {
  id: string;
  path: string;
  meta: SessionMeta;
  modifiedAt: Date;
  /** Every message ever stored, oldest first. */
  messages: Message[];
  /** The conversation as a resumed session continues it: the latest summary, then the messages after it. */
  view: Message[];
  usage: Usage;
  /** USD, summed over usage records that carried a price. */
  costUsd: number;
  title?: TitleRecord;
  turns: TurnRecord[];
  changes: ChangeRecord[];
  summaries: number;
}

/**
 * One persisted conversation, backed by `<projectRoot>/.owlet/sessions/<id>.jsonl` (mode 0600). Every append
 * writes exactly one JSON line with one synchronous write, so a crash loses at most the record in flight
 * (gnoma saves after each turn, §6.4; owlet saves after each message).
 */
export interface Session {
  readonly id: string;
  /** Absolute path of the session file. */
  readonly path: string;
  /** The meta record (first line). */
  readonly meta: SessionMeta;
  /** Appends one message. Throws on I/O errors (e.g. disk full). */
  append(message: Message): void;
  /**
   * Appends the token usage of one request: `round` is its 1-based round within the turn, `arm` the id of the
   * arm that served it. Throws when `round` is not a non-negative integer.
   */
  appendUsage(usage: Usage, round: number, arm?: string): void;
  /**
   * Appends the token usage of one request with its price in USD (when the arm's price is known). Throws as
   * {@link Session.appendUsage}.
   */
  appendCostedUsage(usage: Usage, round: number, arm: string | undefined, costUsd: number | undefined): void;
  /** Stores a summary compaction; the view from now on starts with it. */
  appendSummary(summary: NewSummary): void;
  /** Marks the start of a turn (before its prompt is appended); returns its 1-based number. */
  beginTurn(prompt: string, now?: Date): number;
  /** Stores a file change recorded before a tool call ran (checkpoints). */
  appendChange(change: Omit<ChangeRecord, "type">): void;
  /** Stores the session's title (the latest wins). */
  setTitle(title: string, source: TitleRecord["source"]): void;
  /** All messages, oldest first (a copy). */
  messages(): Message[];
  /** The conversation to continue: the latest summary in place of the messages it covers, then the rest (a copy). */
  view(): Message[];
  /**
   * Starts the transcript of a subagent run beside the session, `<sessions>/<id>.agents/<agentId>.jsonl` (0600; a
   * meta record with `meta`'s provider/model, then its messages and usage, as a session file), and links it from
   * this session with a `subagent` record. Throws on I/O errors or an `agentId` outside `[A-Za-z0-9_-]`.
   */
  subagentTranscript(
    agentId: string,
    link: { agent: string; description: string; provider: string; model: string },
  ): SubagentTranscript;
  /** Sum of every usage record, in tokens. */
  usage(): Usage;
  /** Sum of the usage records' prices, USD. */
  costUsd(): number;
  /** The turns so far, oldest first. */
  turns(): TurnRecord[];
  /** The recorded file changes, oldest first. */
  changes(): ChangeRecord[];
  /** The title, when one was set. */
  title(): TitleRecord | undefined;
  /**
   * Cuts the session back to before turn `turn`: the file is truncated where that turn's record starts, so its
   * messages, usage, summaries and changes (and every later turn's) are gone. Throws when there is no such turn.
   */
  truncateToTurn(turn: number): void;
}

/** Where a subagent's messages and usage are written (see Session.subagentTranscript). */
export interface SubagentTranscript {
  /** Absolute path of the transcript file. */
  readonly path: string;
  append(message: Message): void;
  appendUsage(usage: Usage, round: number, arm?: string): void;
}

/** A session as listed: id, file, meta record and the file's last modification time. */
export interface SessionInfo {
  id: string;
  path: string;
  meta: SessionMeta;
  modifiedAt: Date;
}

/** The metadata a new session starts with. */
export interface NewSessionMeta {
  provider: string;
  model: string;
  cwd: string;
}

/**
 * Sessions of one project, stored as JSON Lines under `<projectRoot>/.owlet/sessions/` (directory 0700, files
 * 0600). File format: a `{type:"meta", id, created_at, provider, model, cwd, version: 1}` line, then
 * `{type:"message", message}` and `{type:"usage", usage, round, arm}` lines. Ids are validated against
 * {@link SESSION_ID_PATTERN} before touching the file system (no path traversal).
 */
export class SessionStore {
  /** Absolute directory holding the session files. */
  readonly dir: string;

  constructor(projectRoot: string) {
    this.dir = join(resolve(projectRoot), ".owlet", "sessions");
  }

  /**
   * Throws {@link SymlinkedStateError} when `.owlet` or `.owlet/sessions` is a symlink: a repository could ship one
   * pointing anywhere, and owlet would write (and chmod) there.
   */
  checkNotSymlinked(): void {
    for (const dir of [dirname(this.dir), this.dir]) {
      let link = false;
      try {
        link = lstatSync(dir).isSymbolicLink();
      } catch {
        // missing: created as a real directory
      }
      if (link) throw new SymlinkedStateError(dir);
    }
  }

  /**
   * Creates a new session file holding only the meta record, locked by this process (see lockSession). Throws
   * SymlinkedStateError (see checkNotSymlinked) or on I/O errors.
   */
  create(meta: NewSessionMeta, now: Date = new Date()): Session {
    this.checkNotSymlinked();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    for (let attempt = 0; ; attempt++) {
      const id = newSessionId(now);
      const path = this.pathOf(id);
      let fd: number;
      try {
        fd = openSync(path, "wx", 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST" && attempt < 10) continue;
        throw error;
      }
      const record: SessionMeta = {
        id,
        created_at: now.toISOString(),
        provider: meta.provider,
        model: meta.model,
        cwd: meta.cwd,
        version: SESSION_FORMAT_VERSION,
      };
      try {
        fchmodSync(fd, 0o600);
        lockSession(path);
        writeSync(fd, `${JSON.stringify({ type: "meta", ...record } satisfies SessionRecord)}\n`);
      } finally {
        closeSync(fd);
      }
      const size = Buffer.byteLength(`${JSON.stringify({ type: "meta", ...record })}\n`);
      return new FileSession(path, record, emptyState(size));
    }
  }

  /**
   * Opens an existing session. A truncated or unparsable final line (a crash mid-write) is dropped and cut from
   * the file so later appends start on a clean line. Throws an Error when the id is malformed, the session does
   * not exist, the first line is not a meta record for this id, or an earlier line is corrupt;
   * SymlinkedStateError when `.owlet`, `.owlet/sessions` or the session file is a symlink; SessionBusyError when
   * another live owlet holds the session (the lock is taken before reading, so two runs never interleave).
   */
  open(id: string): Session {
    assertSessionId(id);
    this.checkNotSymlinked();
    const path = this.pathOf(id);
    if (!existsSync(path)) {
      throw new Error(
        `no session "${id}" in ${this.dir}; use --continue for the latest session, or an id from ${this.dir}`,
      );
    }
    if (lstatSync(path).isSymbolicLink()) throw new SymlinkedStateError(path);
    lockSession(path);
    try {
      return loadSession(path, id);
    } catch (error) {
      releaseSessionLock(path);
      throw error;
    }
  }

  /** The most recently modified session, opened; undefined when there is none. */
  latest(): Session | undefined {
    const newest = this.list()[0];
    return newest ? this.open(newest.id) : undefined;
  }

  /**
   * Every session with a readable meta record, most recently modified first (ties: newer id first). Files that
   * are not sessions (other names, bad first line) are skipped.
   */
  list(): SessionInfo[] {
    if (!existsSync(this.dir)) return [];
    const sessions: SessionInfo[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".jsonl")) continue;
      const id = name.slice(0, -".jsonl".length);
      if (!SESSION_ID_PATTERN.test(id)) continue;
      const path = this.pathOf(id);
      const meta = readMeta(path);
      if (!meta || meta.id !== id) continue;
      sessions.push({ id, path, meta, modifiedAt: statSync(path).mtime });
    }
    return sessions.sort(
      (a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  }

  /**
   * Reads a session without locking it (it may be in use): every message, the view a resume continues, usage,
   * cost, title, turns and changes. Throws as {@link SessionStore.open} for a malformed, unknown, symlinked or
   * corrupt session (a truncated final line is ignored, not cut).
   */
  read(id: string): SessionSnapshot {
    assertSessionId(id);
    const path = this.existingPath(id);
    const { meta, state } = parseSession(readFileSync(path, "utf8"), path, id);
    return {
      id,
      path,
      meta,
      modifiedAt: statSync(path).mtime,
      messages: [...state.history],
      view: viewOf(state),
      usage: state.usage,
      costUsd: state.costUsd,
      ...(state.title ? { title: state.title } : {}),
      turns: state.turns.map(({ offset: _offset, ...t }) => t),
      changes: state.changes,
      summaries: state.summaries,
    };
  }

  /**
   * Deletes a session: its file, its lock, its saved tool results (`<id>.results/`) and its subagents'
   * transcripts (`<id>.agents/`). Throws for a malformed or
   * unknown id, and SessionBusyError when a live owlet holds it (nothing is deleted then).
   */
  remove(id: string): void {
    assertSessionId(id);
    const path = this.existingPath(id);
    lockSession(path); // refuses a session in use; ours until it is gone
    try {
      rmSync(join(this.dir, `${id}.results`), { recursive: true, force: true });
      rmSync(join(this.dir, `${id}.agents`), { recursive: true, force: true });
      rmSync(path, { force: true });
    } finally {
      releaseSessionLock(path);
    }
  }

  /**
   * Deletes every session last modified more than `olderThanMs` before `now` (see remove); sessions in use are
   * skipped. Returns the ids removed and skipped (busy), newest first; `dryRun` removes nothing.
   */
  prune(
    olderThanMs: number,
    opts: { now?: Date; dryRun?: boolean } = {},
  ): { removed: string[]; busy: string[] } {
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
      throw new RangeError(`prune: the age must be a non-negative number of ms, got ${olderThanMs}`);
    }
    const cutoff = (opts.now ?? new Date()).getTime() - olderThanMs;
    const removed: string[] = [];
    const busy: string[] = [];
    for (const info of this.list()) {
      if (info.modifiedAt.getTime() >= cutoff) continue;
      if (opts.dryRun) {
        removed.push(info.id);
        continue;
      }
      try {
        this.remove(info.id);
        removed.push(info.id);
      } catch (err) {
        if ((err as Error).name === "SessionBusyError") busy.push(info.id);
        else throw err;
      }
    }
    return { removed, busy };
  }

  private existingPath(id: string): string {
    this.checkNotSymlinked();
    const path = this.pathOf(id);
    if (!existsSync(path)) {
      throw new Error(
        `no session "${id}" in ${this.dir}; \`owlet sessions list\` shows the project's sessions`,
      );
    }
    if (lstatSync(path).isSymbolicLink()) throw new SymlinkedStateError(path);
    return path;
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.jsonl`);
  }
}

/** Thrown when owlet's state directory (or a session file) is a symlink: sessions are never written through one. */
export class SymlinkedStateError extends Error {
  constructor(path: string) {
    super(
      `${path} is a symlink; owlet does not write sessions through a symlink (a repository could point it anywhere). ` +
        "Remove it (owlet creates a real directory), or run with sessions disabled ([session] enabled = false).",
    );
    this.name = "SymlinkedStateError";
  }
}

/** What a session file's records add up to. Offsets are bytes from the start of the file. */
interface SessionState {
  history: Message[];
  usage: Usage;
  costUsd: number;
  summary?: SummaryRecord;
  summaries: number;
  turns: (TurnRecord & { offset: number })[];
  changes: ChangeRecord[];
  title?: TitleRecord;
  /** Bytes of the file that hold kept records. */
  size: number;
}

function emptyState(size: number): SessionState {
  return { history: [], usage: emptyUsage(), costUsd: 0, summaries: 0, turns: [], changes: [], size };
}

/** The history as a resumed session continues it (see SessionSnapshot.view). */
function viewOf(state: SessionState): Message[] {
  const summary = state.summary;
  if (!summary) return [...state.history];
  const through = Math.min(summary.through, state.history.length);
  const rest = state.history.slice(through);
  return [...summaryMessages(summary.summary, rest[0]?.role, summary.prompt), ...rest];
}

class FileSession implements Session {
  readonly id: string;
  readonly path: string;
  readonly meta: SessionMeta;
  private state: SessionState;

  constructor(path: string, meta: SessionMeta, state: SessionState) {
    this.id = meta.id;
    this.path = path;
    this.meta = meta;
    this.state = state;
  }

  append(message: Message): void {
    const json = JSON.stringify({ type: "message", message } satisfies SessionRecord);
    this.writeLine(json);
    this.state.history.push((JSON.parse(json) as { message: Message }).message);
  }

  appendUsage(usage: Usage, round: number, arm?: string): void {
    this.appendCostedUsage(usage, round, arm, undefined);
  }

  appendCostedUsage(usage: Usage, round: number, arm: string | undefined, costUsd: number | undefined): void {
    if (!Number.isInteger(round) || round < 0) {
      throw new Error(`appendUsage: round must be a non-negative integer, got ${round}`);
    }
    const json = JSON.stringify({
      type: "usage",
      usage,
      round,
      ...(arm ? { arm } : {}),
      ...(costUsd !== undefined && Number.isFinite(costUsd) ? { cost_usd: costUsd } : {}),
    } satisfies SessionRecord);
    this.writeLine(json);
    this.state.usage = addUsage(this.state.usage, usage);
    if (costUsd !== undefined && Number.isFinite(costUsd)) this.state.costUsd += costUsd;
  }

  appendSummary(summary: NewSummary): void {
    const record: SummaryRecord = {
      type: "summary",
      summary: summary.summary,
      through: Math.max(0, this.state.history.length - Math.max(0, summary.keptMessages)),
      ...(summary.prompt !== undefined ? { prompt: summary.prompt } : {}),
      trigger: summary.trigger,
      arm: summary.arm,
      usage: summary.usage,
      tokens_before: summary.tokensBefore,
      tokens_after: summary.tokensAfter,
    };
    this.writeLine(JSON.stringify(record));
    this.state.summary = record;
    this.state.summaries++;
  }

  beginTurn(prompt: string, now: Date = new Date()): number {
    const turn = (this.state.turns.at(-1)?.turn ?? 0) + 1;
    const record: TurnRecord = {
      type: "turn",
      turn,
      at: this.state.history.length,
      // what undo shows; the prompt itself is the next message record
      prompt: prompt.length > TURN_PROMPT_CHARS ? `${prompt.slice(0, TURN_PROMPT_CHARS - 1)}…` : prompt,
      started_at: now.toISOString(),
    };
    const offset = this.state.size;
    this.writeLine(JSON.stringify(record));
    this.state.turns.push({ ...record, offset });
    return turn;
  }

  appendChange(change: Omit<ChangeRecord, "type">): void {
    const record: ChangeRecord = { type: "change", ...change };
    this.writeLine(JSON.stringify(record));
    this.state.changes.push(record);
  }

  setTitle(title: string, source: TitleRecord["source"]): void {
    const record: TitleRecord = { type: "title", title, source };
    this.writeLine(JSON.stringify(record));
    this.state.title = record;
  }

  messages(): Message[] {
    return [...this.state.history];
  }

  view(): Message[] {
    return viewOf(this.state);
  }

  usage(): Usage {
    return { ...this.state.usage };
  }

  costUsd(): number {
    return this.state.costUsd;
  }

  turns(): TurnRecord[] {
    return this.state.turns.map(({ offset: _offset, ...t }) => t);
  }

  changes(): ChangeRecord[] {
    return [...this.state.changes];
  }

  title(): TitleRecord | undefined {
    return this.state.title;
  }

  truncateToTurn(turn: number): void {
    const record = this.state.turns.find((t) => t.turn === turn);
    if (!record) {
      const last = this.state.turns.at(-1)?.turn;
      throw new Error(
        `session ${this.id} has no turn ${turn}${last ? ` (its turns are 1 to ${last})` : " (it has no recorded turns)"}`,
      );
    }
    truncateSync(this.path, record.offset);
    this.state = parseSession(readFileSync(this.path, "utf8"), this.path, this.id).state;
  }

  subagentTranscript(
    agentId: string,
    link: { agent: string; description: string; provider: string; model: string },
  ): SubagentTranscript {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(agentId)) throw new Error(`invalid subagent id "${agentId}"`);
    const dir = join(dirname(this.path), `${this.id}.agents`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${agentId}.jsonl`);
    const meta = {
      type: "meta",
      id: this.id,
      created_at: new Date().toISOString(),
      provider: link.provider,
      model: link.model,
      cwd: this.meta.cwd,
      version: SESSION_FORMAT_VERSION,
      agent_id: agentId,
      agent: link.agent,
    };
    appendFileSync(path, `${JSON.stringify(meta)}\n`, { mode: 0o600 });
    this.writeLine(
      JSON.stringify({
        type: "subagent",
        agent_id: agentId,
        agent: link.agent,
        description: link.description,
        path,
      } satisfies SessionRecord),
    );
    const line = (record: SessionRecord) =>
      appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    return {
      path,
      append: (message) => line({ type: "message", message }),
      appendUsage: (usage, round, arm) => line({ type: "usage", usage, round, ...(arm ? { arm } : {}) }),
    };
  }

  private writeLine(json: string): void {
    const line = `${json}\n`;
    appendFileSync(this.path, line, { mode: 0o600 });
    this.state.size += Buffer.byteLength(line);
  }
}

/** Reads the first line of a session file and returns its meta record, or undefined when it has none. */
function readMeta(path: string): SessionMeta | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(64 * 1024);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, read).toString("utf8");
    const newline = text.indexOf("\n");
    if (newline < 0) return undefined;
    const record: unknown = JSON.parse(text.slice(0, newline));
    return isMetaRecord(record) ? stripType(record) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function stripType(record: { type: "meta" } & SessionMeta): SessionMeta {
  const { type: _type, ...meta } = record;
  return meta;
}

function loadSession(path: string, id: string): Session {
  const text = readFileSync(path, "utf8");
  const parsed = parseSession(text, path, id);
  // Cut a dropped tail, or finish an unterminated last line, so later appends start on a clean line.
  if (parsed.dropped) truncateSync(path, parsed.state.size);
  else if (parsed.unterminated) {
    appendFileSync(path, "\n");
    parsed.state.size += 1;
  }
  return new FileSession(path, parsed.meta, parsed.state);
}

/**
 * Reads a session file's records. A truncated or unparsable final line (a crash mid-write) is reported as
 * `dropped` (the state's `size` ends before it); throws an Error for a missing or wrong meta record, or a corrupt
 * or unrecognised record before the last line.
 */
function parseSession(
  text: string,
  path: string,
  id: string,
): { meta: SessionMeta; state: SessionState; dropped: boolean; unterminated: boolean } {
  const segments = text.split("\n"); // the last segment is "" after a clean end, else a line cut short
  let lastNonBlank = -1;
  segments.forEach((segment, index) => {
    if (segment.trim() !== "") lastNonBlank = index;
  });

  let meta: SessionMeta | undefined;
  const state = emptyState(0);
  let offset = 0; // bytes consumed
  let dropped = false;
  let unterminated = false;
  for (const [index, segment] of segments.entries()) {
    const terminated = index < segments.length - 1;
    const start = offset;
    const end = offset + Buffer.byteLength(segment) + (terminated ? 1 : 0);
    offset = end;
    if (segment.trim() === "") {
      if (!dropped) state.size = end;
      continue;
    }
    const isFinal = index === lastNonBlank;
    let record: unknown;
    try {
      record = JSON.parse(segment);
    } catch {
      if (isFinal) {
        dropped = true; // truncated final line (crash mid-write)
        break;
      }
      throw new Error(
        `session file ${path} is corrupt at line ${index + 1} (not JSON); it cannot be resumed`,
      );
    }
    if (meta === undefined) {
      if (!isMetaRecord(record) || record.id !== id) {
        throw new Error(
          `${path} is not an owlet session file (line 1 must be a version 1 meta record for "${id}")`,
        );
      }
      meta = stripType(record);
    } else if (isMessageRecord(record)) {
      state.history.push(record.message);
    } else if (isUsageRecord(record)) {
      state.usage = addUsage(state.usage, record.usage);
      if (typeof record.cost_usd === "number" && Number.isFinite(record.cost_usd))
        state.costUsd += record.cost_usd;
    } else if (isSummaryRecord(record)) {
      state.summary = record;
      state.summaries++;
    } else if (isTurnRecord(record)) {
      state.turns.push({ ...record, offset: start });
    } else if (isChangeRecord(record)) {
      state.changes.push(record);
    } else if (isTitleRecord(record)) {
      state.title = record;
    } else if (isSubagentRecord(record)) {
      // a link to a subagent's transcript: not part of this conversation's history
    } else if (isFinal) {
      dropped = true; // a final line that parses but is incomplete as a record
      break;
    } else {
      throw new Error(
        `session file ${path} has an unrecognised record at line ${index + 1}; it cannot be resumed`,
      );
    }
    state.size = end;
    unterminated = !terminated;
  }
  if (meta === undefined) {
    throw new Error(`${path} is not an owlet session file (it has no meta record)`);
  }
  return { meta, state, dropped, unterminated };
}
