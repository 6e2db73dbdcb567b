import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Message } from "../message/types.ts";
import { newSessionId, SESSION_ID_PATTERN } from "./id.ts";
import { releaseSessionLock } from "./lock.ts";
import { SessionStore } from "./store.ts";

let root: string;
let store: SessionStore;
const meta = { provider: "llamacpp", model: "qwen", cwd: "/work/p" };

const user: Message = { role: "user", content: [{ type: "text", text: "list files" }] };
const assistant: Message = {
  role: "assistant",
  content: [
    { type: "reasoning", text: "use fs", signature: "sig" },
    { type: "tool_call", id: "c1", name: "fs_ls", arguments: '{"path":"."}' },
  ],
};
const results: Message = {
  role: "user",
  content: [{ type: "tool_result", toolCallId: "c1", toolName: "fs_ls", content: "a\nb", isError: false }],
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "owlet-session-"));
  store = new SessionStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("SessionStore", () => {
  it("round-trips messages and usage", () => {
    const session = store.create(meta, new Date("2026-11-22T02:15:00Z"));
    expect(session.id).toMatch(/^20261122-021500-[0-9a-f]{6}$/);
    expect(session.path).toBe(join(root, ".owlet", "sessions", `${session.id}.jsonl`));
    session.append(user);
    session.append(assistant);
    session.appendUsage({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 5 }, 1);
    session.append(results);
    session.appendUsage({ inputTokens: 130, outputTokens: 7 }, 1);
    expect(session.messages()).toEqual([user, assistant, results]);
    expect(session.usage()).toEqual({ inputTokens: 230, outputTokens: 27, cacheReadTokens: 5 });

    const reopened = store.open(session.id);
    expect(reopened.messages()).toEqual([user, assistant, results]);
    expect(reopened.usage()).toEqual({ inputTokens: 230, outputTokens: 27, cacheReadTokens: 5 });
    expect(reopened.meta).toEqual({
      id: session.id,
      created_at: "2026-11-22T02:15:00.000Z",
      provider: "llamacpp",
      model: "qwen",
      cwd: "/work/p",
      version: 1,
    });

    const lines = readFileSync(session.path, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.type)).toEqual([
      "meta",
      "message",
      "message",
      "usage",
      "message",
      "usage",
    ]);
    expect(lines[3]).toEqual({
      type: "usage",
      usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 5 },
      round: 1,
    });
  });

  it("does not let callers mutate stored history", () => {
    const session = store.create(meta);
    const message: Message = { role: "user", content: [{ type: "text", text: "hi" }] };
    session.append(message);
    message.content.push({ type: "text", text: "later" });
    session.messages().pop();
    expect(session.messages()).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
  });

  it("creates the directory 0700 and files 0600", () => {
    const session = store.create(meta);
    session.append(user);
    expect(statSync(session.path).mode & 0o777).toBe(0o600);
    expect(statSync(store.dir).mode & 0o777).toBe(0o700);
  });

  it("drops a truncated final line and appends cleanly afterwards", () => {
    const session = store.create(meta);
    session.append(user);
    session.appendUsage({ inputTokens: 1, outputTokens: 1 }, 1);
    appendFileSync(session.path, '{"type":"message","message":{"role":"assis');
    const reopened = store.open(session.id);
    expect(reopened.messages()).toEqual([user]);
    expect(reopened.usage()).toEqual({ inputTokens: 1, outputTokens: 1 });
    reopened.append(assistant);
    expect(store.open(session.id).messages()).toEqual([user, assistant]);
    expect(readFileSync(session.path, "utf8").endsWith("\n")).toBe(true);
  });

  it("keeps a complete final record that only lacks its newline", () => {
    const session = store.create(meta);
    appendFileSync(session.path, JSON.stringify({ type: "message", message: user }));
    const reopened = store.open(session.id);
    expect(reopened.messages()).toEqual([user]);
    reopened.append(results);
    expect(store.open(session.id).messages()).toEqual([user, results]);
  });

  it("refuses a corrupt line in the middle", () => {
    const session = store.create(meta);
    appendFileSync(session.path, "not json\n");
    session.append(user);
    expect(() => store.open(session.id)).toThrow(/corrupt at line 2/);
  });

  it("refuses files without a meta record for the id", () => {
    mkdirSync(store.dir, { recursive: true });
    const id = newSessionId();
    writeFileSync(join(store.dir, `${id}.jsonl`), `${JSON.stringify({ type: "message", message: user })}\n`);
    expect(() => store.open(id)).toThrow(/not an owlet session file/);
    expect(store.list()).toEqual([]);
  });

  it("lists sessions newest first and returns the latest", () => {
    expect(store.latest()).toBeUndefined();
    expect(store.list()).toEqual([]);
    const older = store.create(meta);
    const newer = store.create({ ...meta, model: "other" });
    utimesSync(older.path, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
    utimesSync(newer.path, new Date("2026-02-01T00:00:00Z"), new Date("2026-02-01T00:00:00Z"));
    writeFileSync(join(store.dir, "notes.txt"), "ignored");
    expect(store.list().map((info) => info.id)).toEqual([newer.id, older.id]);
    expect(store.latest()?.id).toBe(newer.id);
    expect(store.latest()?.meta.model).toBe("other");

    // Appending to the older session makes it the most recently modified one.
    utimesSync(older.path, new Date("2026-03-01T00:00:00Z"), new Date("2026-03-01T00:00:00Z"));
    expect(store.latest()?.id).toBe(older.id);
  });

  it("rejects malformed and traversal ids before touching the file system", () => {
    for (const id of [
      "../../etc/passwd",
      "..",
      "20261122-021500-a3f09c/../x",
      "20261122-021500-A3F09C",
      "",
      "x\u0000",
    ]) {
      expect(() => store.open(id)).toThrow(/invalid session id/);
    }
    expect(() => store.open("20261122-021500-a3f09c")).toThrow(/no session "20261122-021500-a3f09c"/);
  });

  it("generates ids of the documented shape", () => {
    const id = newSessionId(new Date("2026-01-02T03:04:05Z"));
    expect(id).toMatch(SESSION_ID_PATTERN);
    expect(id.startsWith("20260102-030405-")).toBe(true);
    expect(new Set(Array.from({ length: 20 }, () => newSessionId())).size).toBeGreaterThan(1);
  });

  it("rejects a bad turn number", () => {
    const session = store.create(meta);
    expect(() => session.appendUsage({ inputTokens: 1, outputTokens: 1 }, 1.5)).toThrow(/round must be/);
  });
});

describe("long sessions (issue 12)", () => {
  const reply: Message = { role: "assistant", content: [{ type: "text", text: "done" }] };
  const usage = { inputTokens: 10, outputTokens: 2 };

  it("a summary record replaces the messages before it in the view; the full history stays", () => {
    const s = store.create(meta);
    s.append(user);
    s.append(assistant);
    s.append(results);
    s.append(reply);
    s.appendSummary({
      summary: "## Goal\nlist files",
      keptMessages: 1,
      trigger: "auto",
      arm: "a/m",
      usage,
      tokensBefore: 100,
      tokensAfter: 20,
    });
    s.append(user);
    const expectView = (view: Message[]) => {
      expect(view).toHaveLength(3); // summary, the kept reply, the new prompt
      expect(JSON.stringify(view[0])).toContain("## Goal");
      expect(view.slice(1)).toEqual([reply, user]);
    };
    expectView(s.view());
    expect(s.messages()).toHaveLength(5);
    releaseSessionLock(s.path);
    const again = store.open(s.id);
    expectView(again.view());
    expect(again.messages()).toHaveLength(5);
    expect(store.read(s.id).summaries).toBe(1);
  });

  it("cuts back to before a turn: its records and every later one's are gone, earlier ones stay", () => {
    const s = store.create(meta);
    expect(s.beginTurn("list files")).toBe(1);
    s.append(user);
    s.append(reply);
    s.appendCostedUsage(usage, 1, "openai/gpt", 0.5);
    expect(s.beginTurn("again")).toBe(2);
    s.append(user);
    s.appendChange({ turn: 2, tool: "fs_write", call: "c9", path: "a.txt", before: null });
    s.appendCostedUsage(usage, 1, "openai/gpt", 0.25);
    expect(s.costUsd()).toBeCloseTo(0.75);
    s.truncateToTurn(2);
    expect(s.messages()).toEqual([user, reply]);
    expect(s.changes()).toEqual([]);
    expect(s.turns().map((t) => t.turn)).toEqual([1]);
    expect(s.costUsd()).toBeCloseTo(0.5);
    expect(s.beginTurn("third")).toBe(2); // numbering continues from what is left
    releaseSessionLock(s.path);
    expect(
      store
        .open(s.id)
        .turns()
        .map((t) => t.prompt),
    ).toEqual(["list files", "third"]);
    expect(() => store.open(s.id).truncateToTurn(7)).toThrow(/no turn 7/);
  });

  it("keeps the title, and reads a session in use without taking its lock", () => {
    const s = store.create(meta);
    s.setTitle("list files", "prompt");
    const snap = store.read(s.id);
    expect(snap.title).toEqual({ type: "title", title: "list files", source: "prompt" });
    expect(() => store.open(s.id)).not.toThrow(); // same process: re-locking is a no-op
  });

  it("removes a session with its results, and prunes only the old ones", () => {
    const old = store.create(meta);
    const fresh = store.create(meta);
    releaseSessionLock(old.path);
    releaseSessionLock(fresh.path);
    mkdirSync(join(store.dir, `${old.id}.results`));
    writeFileSync(join(store.dir, `${old.id}.results`, "r.txt"), "x");
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    utimesSync(old.path, longAgo, longAgo);
    expect(store.prune(30 * 86_400_000, { dryRun: true }).removed).toEqual([old.id]);
    expect(store.list()).toHaveLength(2);
    expect(store.prune(30 * 86_400_000).removed).toEqual([old.id]);
    expect(store.list().map((i) => i.id)).toEqual([fresh.id]);
    expect(() => statSync(join(store.dir, `${old.id}.results`))).toThrow();
    mkdirSync(join(store.dir, `${fresh.id}.agents`));
    writeFileSync(join(store.dir, `${fresh.id}.agents`, "agent-1.jsonl"), "{}\n");
    store.remove(fresh.id);
    expect(store.list()).toEqual([]);
    expect(() => statSync(join(store.dir, `${fresh.id}.agents`))).toThrow(); // its subagents' transcripts too
    expect(() => store.remove(fresh.id)).toThrow(/no session/);
  });
});

describe("subagent transcripts", () => {
  it("are written beside the session, linked by a record the session still opens with", async () => {
    const Store = SessionStore;
    const root = mkdtempSync(join(tmpdir(), "owlet-sub-"));
    const store = new Store(root);
    const session = store.create({ provider: "p", model: "m", cwd: root });
    session.append({ role: "user", content: [{ type: "text", text: "hi" }] });
    const t = session.subagentTranscript("agent-1", {
      agent: "explore",
      description: "look",
      provider: "p",
      model: "m",
    });
    t.append({ role: "user", content: [{ type: "text", text: "task" }] });
    t.appendUsage({ inputTokens: 3, outputTokens: 1 }, 1, "p/m");
    expect(t.path).toBe(join(store.dir, `${session.id}.agents`, "agent-1.jsonl"));
    const lines = readFileSync(t.path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(["meta", "message", "usage"]);
    const reopened = store.open(session.id);
    expect(reopened.messages().map((m) => m.role)).toEqual(["user"]);
    expect(() =>
      session.subagentTranscript("../x", { agent: "a", description: "", provider: "p", model: "m" }),
    ).toThrow(/invalid subagent id/);
  });
});
