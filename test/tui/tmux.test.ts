/**
 * The interactive UI end to end, in a real terminal (tmux) against the scripted OpenAI-wire server: start owlet,
 * type a prompt, approve a permission prompt, see the tool run and the answer, interrupt a streaming answer with
 * Esc, quit, start again and /resume the session; Shift+Tab, NO_COLOR, a 60-column terminal and a resize.
 * Skipped (with a message) where tmux is not installed: scripts/install-system-deps.sh installs it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixtureRepo, OWLET_BIN } from "../support/fixture-repo.ts";
import { isolatedEnv } from "../support/run-owlet.ts";
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";
import { hasTmux, TmuxSession } from "../support/tmux.ts";

const TMUX = hasTmux();
if (!TMUX)
  console.warn(
    "tmux is not installed: skipping the interactive UI's end-to-end tests (apt-get install tmux)",
  );

/** The text of the last user message of a chat-completions request. */
function lastUserText(body: any): string {
  const users = (body?.messages ?? []).filter((m: any) => m.role === "user");
  const c = users.at(-1)?.content;
  return typeof c === "string" ? c : JSON.stringify(c ?? "");
}

/** The scripted model: "list" asks for `ls` then answers; "story" streams slowly; anything else is greeted. */
function reply(req: { body: any }): ScriptedReply {
  const last = req.body?.messages?.at(-1);
  if (last?.role === "tool") return { text: ["The workspace holds ", "**math.js** and its test."] };
  const prompt = lastUserText(req.body);
  if (prompt.includes("list the files")) {
    return { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "ls" }) }] };
  }
  if (prompt.includes("tell a long story")) {
    return { text: Array.from({ length: 400 }, (_, i) => `once${i} `), chunkDelayMs: 40 };
  }
  return { text: ["Hello from the ", "scripted model."] };
}

describe.skipIf(!TMUX)("interactive UI in tmux", () => {
  let server: ScriptedServer;
  let repo: string;
  let home: string;
  const open: TmuxSession[] = [];

  beforeAll(async () => {
    server = await startScriptedServer(reply);
    return () => server.close();
  });

  afterEach(() => {
    for (const s of open.splice(0)) s.kill();
  });

  function owlet(opts: { columns?: number; env?: Record<string, string> } = {}): TmuxSession {
    const session = new TmuxSession(
      [
        OWLET_BIN,
        "--provider",
        "openai-compatible",
        "--base-url",
        server.baseURL,
        "--model",
        "scripted-model",
        "--no-two-stage",
      ],
      {
        cwd: repo,
        env: isolatedEnv(home, { TERM: "screen-256color", ...opts.env }),
        ...(opts.columns ? { columns: opts.columns } : {}),
        rows: 40,
      },
    );
    open.push(session);
    return session;
  }

  it("runs a turn with an approved tool call, interrupts a streaming answer with Esc, quits, and resumes the session", async () => {
    repo = await fixtureRepo("repo-add");
    home = mkdtempSync(join(tmpdir(), "owlet-tui-home-"));
    const tui = owlet();
    await tui.waitFor(/⏵ auto/);
    tui.type("list the files please");
    tui.press("Enter");
    const asked = await tui.waitFor(/Allow bash\?/);
    expect(asked).toContain("$ ls");
    expect(asked).toMatch(/allow always this session \(allow bash "ls"\)/);
    tui.type("y");
    const answered = await tui.waitFor(/✓ 2 rounds/);
    expect(answered).toMatch(/● bash ls/);
    expect(answered).toMatch(/⎿ math\.js \(\+2 lines\)/);
    expect(answered).toContain("The workspace holds math.js and its test.");
    // The tool's output reached the model.
    const toolMessage = server.requests.at(-1)?.body.messages.find((m: any) => m.role === "tool");
    expect(toolMessage?.content).toContain("test.js");

    tui.type("tell a long story");
    tui.press("Enter");
    await tui.waitFor(/once20 /);
    tui.press("Escape");
    const interrupted = await tui.waitFor(/interrupted · the conversation is kept/);
    expect(interrupted).not.toContain("once399");

    // Shift+Tab cycles the permission mode shown on the status line.
    tui.press("BTab");
    await tui.waitFor(/⏵ accept_edits/, 5000, true);

    tui.type("/quit");
    tui.press("Enter");
    expect(await tui.waitForExit()).toBe(0);
    const history = readFileSync(join(home, "state", "owlet", "history.jsonl"), "utf8");
    expect(history).toContain('"list the files please"');

    // A second owlet: Up brings back the last prompt of the first; /resume picks the session.
    const again = owlet();
    await again.waitFor(/⏵ auto/);
    again.press("Up");
    await again.waitFor(/› \/quit/, 5000, true);
    again.press("C-u");
    again.type("/resume");
    again.press("Enter");
    await again.waitFor(/Resume which session\?/);
    again.press("Enter");
    const resumed = await again.waitFor(/resumed session/);
    expect(resumed).toContain("list the files please");
    expect(resumed).toMatch(/● bash ls/);
    const before = server.requests.length;
    again.type("hello again");
    again.press("Enter");
    await again.waitFor(/Hello from the scripted model\./);
    const sent = server.requests.slice(before).find((r) => r.path.includes("chat/completions"));
    expect(JSON.stringify(sent?.body.messages)).toContain("list the files please");
    again.press("C-d");
    expect(await again.waitForExit()).toBe(0);
  }, 60_000);

  it("a config error closes the UI and exits 2 with the message", async () => {
    repo = await fixtureRepo("repo-add");
    home = mkdtempSync(join(tmpdir(), "owlet-tui-home-"));
    const session = new TmuxSession([OWLET_BIN, "--config", join(repo, "missing.toml")], {
      cwd: repo,
      env: isolatedEnv(home, { TERM: "screen-256color" }),
    });
    open.push(session);
    expect(await session.waitForExit()).toBe(2);
    expect(session.screen()).toMatch(/owlet: .*missing\.toml/);
  });

  it("draws without colour under NO_COLOR, fits 60 columns, and redraws after a resize", async () => {
    repo = await fixtureRepo("repo-add");
    home = mkdtempSync(join(tmpdir(), "owlet-tui-home-"));
    const tui = owlet({ columns: 60, env: { NO_COLOR: "1" } });
    await tui.waitFor(/⏵ auto/);
    tui.type("hi");
    tui.press("Enter");
    await tui.waitFor(/Hello from the scripted model\./);
    const styled = tui.screen(true);
    // No foreground/background colour escapes (30–37, 38;…, 90–97); bold, dim and inverse are allowed.
    expect(styled).not.toMatch(/\x1b\[[0-9;]*(3[0-8]|9[0-7])(;[0-9;]*)?m/);
    for (const line of tui.visible().split("\n")) expect(line.length).toBeLessThanOrEqual(60);
    tui.resize(80, 40);
    await tui.waitFor((s) => s.split("\n").some((l) => l.startsWith("╭") && l.length > 60), 5000, true);
    tui.press("C-c");
    tui.press("C-c");
    expect(await tui.waitForExit()).toBe(0);
  }, 30_000);
});
