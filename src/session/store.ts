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
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { addUsage, emptyUsage } from "../message/build.ts";
import type { Message, Usage } from "../message/types.ts";
import { assertSessionId, newSessionId, SESSION_ID_PATTERN } from "./id.ts";
import { lockSession, releaseSessionLock } from "./lock.ts";
import {
  isMessageRecord,
  isMetaRecord,
  isSubagentRecord,
  isUsageRecord,
  SESSION_FORMAT_VERSION,
  type SessionMeta,
  type SessionRecord,
} from "./records.ts";

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
  /** All messages, oldest first (a copy). */
  messages(): Message[];
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
      return new FileSession(path, record, [], emptyUsage());
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

class FileSession implements Session {
  readonly id: string;
  readonly path: string;
  readonly meta: SessionMeta;
  private readonly history: Message[];
  private total: Usage;

  constructor(path: string, meta: SessionMeta, history: Message[], total: Usage) {
    this.id = meta.id;
    this.path = path;
    this.meta = meta;
    this.history = history;
    this.total = total;
  }

  append(message: Message): void {
    const json = JSON.stringify({ type: "message", message } satisfies SessionRecord);
    this.writeLine(json);
    this.history.push((JSON.parse(json) as { message: Message }).message);
  }

  appendUsage(usage: Usage, round: number, arm?: string): void {
    if (!Number.isInteger(round) || round < 0) {
      throw new Error(`appendUsage: round must be a non-negative integer, got ${round}`);
    }
    const json = JSON.stringify({
      type: "usage",
      usage,
      round,
      ...(arm ? { arm } : {}),
    } satisfies SessionRecord);
    this.writeLine(json);
    this.total = addUsage(this.total, usage);
  }

  messages(): Message[] {
    return [...this.history];
  }

  usage(): Usage {
    return { ...this.total };
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
    appendFileSync(this.path, `${json}\n`, { mode: 0o600 });
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
  const segments = text.split("\n"); // the last segment is "" after a clean end, else a line cut short
  let lastNonBlank = -1;
  segments.forEach((segment, index) => {
    if (segment.trim() !== "") lastNonBlank = index;
  });

  let meta: SessionMeta | undefined;
  const history: Message[] = [];
  let total = emptyUsage();
  let offset = 0; // characters consumed
  let keptEnd = 0; // characters up to the end of the last kept line
  let dropped = false;
  let unterminated = false;
  for (const [index, segment] of segments.entries()) {
    const terminated = index < segments.length - 1;
    const end = offset + segment.length + (terminated ? 1 : 0);
    offset = end;
    if (segment.trim() === "") continue;
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
      history.push(record.message);
    } else if (isUsageRecord(record)) {
      total = addUsage(total, record.usage);
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
    keptEnd = end;
    unterminated = !terminated;
  }
  if (meta === undefined) {
    throw new Error(`${path} is not an owlet session file (it has no meta record)`);
  }
  // Cut a dropped tail, or finish an unterminated last line, so later appends start on a clean line.
  if (dropped) truncateSync(path, Buffer.byteLength(text.slice(0, keptEnd)));
  else if (unterminated) appendFileSync(path, "\n");
  return new FileSession(path, meta, history, total);
}
