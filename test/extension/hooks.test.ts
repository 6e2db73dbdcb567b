/**
 * Hooks as a user meets them: real hook scripts (sh + node) run by createAgent's engine against the scripted
 * OpenAI-wire server, configured in TOML and in a Claude Code `.claude/settings.json`.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentIO } from "../../src/agent/agent.ts";
import { createAgent } from "../../src/agent/create-agent.ts";
import { loadConfig } from "../../src/config/load.ts";
import { trustFolder } from "../../src/config/trust.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { type Script, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function isolatedIO(): AgentIO & { notices: string[] } {
  const home = mkdtempSync(join(tmpdir(), "owlet-hooks-home-"));
  const notices: string[] = [];
  return {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, "config"),
      XDG_CACHE_HOME: join(home, "cache"),
    },
    notify: (m) => notices.push(m),
    notices,
  };
}

/** A hook script: node reads the event JSON from stdin and runs `body` with it as `e`. */
function hookScript(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\nexec node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=JSON.parse(s);${body}})'\n`,
  );
  chmodSync(path, 0o755);
  return `./${name}`;
}

/** The Claude Code-style script of the issue: a Bash call whose command runs rm is blocked (exit 2, stderr). */
const BLOCK_RM =
  'require("fs").appendFileSync("hook-log.jsonl",JSON.stringify(e)+"\\n");' +
  'if(/(^|[;&|]\\s*)rm\\s/.test(e.tool_input.command)){process.stderr.write("rm is not allowed here; use git rm or leave the file");process.exit(2)}';

async function setup(script: Script, userToml: string, opts: { mode?: string } = {}) {
  const repo = await fixtureRepo("repo-add");
  server = await startScriptedServer(script);
  const io = isolatedIO();
  mkdirSync(join(io.env.XDG_CONFIG_HOME!, "owlet"), { recursive: true });
  writeFileSync(join(io.env.XDG_CONFIG_HOME!, "owlet", "config.toml"), userToml);
  const load = () =>
    loadConfig({
      cwd: repo,
      env: io.env,
      flags: {
        provider: "openai-compatible",
        baseURL: server!.baseURL,
        model: "scripted-model",
        twoStage: false,
        sandbox: "off",
        permissionMode: opts.mode ?? "bypass",
      },
    });
  return { repo, io, load, server };
}

const chats = (s: ScriptedServer) => s.requests.filter((r) => r.path.includes("chat/completions"));
const toolMessages = (body: any) => body.messages.filter((m: any) => m.role === "tool");

describe("hooks", () => {
  it("a PreToolUse hook script blocks rm (exit 2): the file stays, the model reads the hook's stderr", async () => {
    const { repo, io, load, server } = await setup(
      [
        {
          toolCalls: [
            { id: "rm", name: "bash", arguments: JSON.stringify({ command: "rm -f math.js" }) },
            { id: "ls", name: "bash", arguments: JSON.stringify({ command: "ls math.js" }) },
          ],
        },
        { text: "I left math.js in place." },
      ],
      '[[hooks.PreToolUse]]\nmatcher = "Bash"\ncommand = "./block-rm.sh"\ntimeout_ms = 10000\n',
    );
    hookScript(repo, "block-rm.sh", BLOCK_RM);
    const agent = await createAgent({ config: await load(), cwd: repo, io });
    const turn = await agent.runTurn("delete math.js");
    await agent.close();

    expect(existsSync(join(repo, "math.js"))).toBe(true);
    const [rm, ls] = toolMessages(chats(server)[1]!.body);
    expect(rm.content).toContain("rm is not allowed here");
    expect(ls.content).toContain("math.js");
    expect(ls.content).not.toContain("not allowed");
    expect(turn.permissionDenials).toMatchObject([{ toolName: "bash", toolUseId: "rm" }]);
    // The event JSON on stdin has Claude Code's fields, and owlet's names beside them.
    const events = readFileSync(join(repo, "hook-log.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      session_id: agent.session!.id,
      transcript_path: agent.session!.path,
      cwd: repo,
      hook_event_name: "PreToolUse",
      permission_mode: "bypass",
      tool_name: "Bash",
      owlet_tool_name: "bash",
      tool_input: { command: "rm -f math.js" },
    });
  });

  it("an allow from a hook never overrides a user deny rule; a deny decision in JSON blocks", async () => {
    const { repo, io, load, server } = await setup(
      [
        {
          toolCalls: [
            { id: "a", name: "bash", arguments: JSON.stringify({ command: "rm -f math.js" }) },
            { id: "b", name: "fs_read", arguments: JSON.stringify({ path: "README.md" }) },
          ],
        },
        { text: "ok" },
      ],
      [
        '[[permission.rules]]\ntool = "bash"\npattern = "rm *"\naction = "deny"\n',
        '[[hooks.PreToolUse]]\nmatcher = "Bash"\ncommand = "./allow.sh"\n',
        '[[hooks.PreToolUse]]\nmatcher = "Read|Write"\ncommand = "./deny-read.sh"\n',
      ].join("\n"),
    );
    hookScript(
      repo,
      "allow.sh",
      'console.log(JSON.stringify({hookSpecificOutput:{hookEventName:"PreToolUse",permissionDecision:"allow"}}))',
    );
    hookScript(
      repo,
      "deny-read.sh",
      'console.log(JSON.stringify({hookSpecificOutput:{hookEventName:"PreToolUse",permissionDecision:"deny",permissionDecisionReason:"read "+e.tool_input.file_path+" through the docs index"}}))',
    );
    writeFileSync(join(repo, "README.md"), "readme\n");
    const agent = await createAgent({ config: await load(), cwd: repo, io });
    await agent.runTurn("clean up");
    const [a, b] = toolMessages(chats(server)[1]!.body);
    expect(a.content).toContain("denied by rule");
    expect(existsSync(join(repo, "math.js"))).toBe(true);
    expect(b.content).toContain(`read ${join(repo, "README.md")} through the docs index`);
    expect(b.content).not.toContain("readme");
  });

  it("runs .claude/settings.json hooks only in a trusted folder, with one notice naming owlet trust", async () => {
    const script: Script = (_req, i) =>
      i % 2 === 0
        ? { toolCalls: [{ name: "bash", arguments: '{"command":"rm -f math.js"}' }] }
        : { text: "ok" };
    const { repo, io, load } = await setup(script, "");
    hookScript(repo, "block-rm.sh", BLOCK_RM);
    mkdirSync(join(repo, ".claude"));
    writeFileSync(
      join(repo, ".claude", "settings.json"),
      JSON.stringify({
        hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./block-rm.sh" }] }] },
      }),
    );
    const untrusted = await createAgent({ config: await load(), cwd: repo, io });
    expect(io.notices.filter((n) => n.includes("owlet trust"))).toEqual([
      expect.stringContaining(".claude/settings.json has hooks, but"),
    ]);
    await untrusted.runTurn("delete math.js");
    await untrusted.close();
    expect(existsSync(join(repo, "math.js"))).toBe(false);

    execGit(repo, "checkout", "math.js");
    trustFolder(repo, io.env);
    const trusted = await createAgent({ config: await load(), cwd: repo, io });
    await trusted.runTurn("delete math.js");
    await trusted.close();
    expect(existsSync(join(repo, "math.js"))).toBe(true);
  });

  it("an untrusted project's own [hooks] are ignored and named in the trust warning", async () => {
    const { repo, io, load } = await setup([{ text: "ok" }], "");
    mkdirSync(join(repo, ".owlet"), { recursive: true });
    writeFileSync(join(repo, ".owlet", "config.toml"), '[[hooks.SessionStart]]\ncommand = "touch pwned"\n');
    const loaded = await load();
    expect(loaded.trust.ignored).toEqual([expect.stringContaining("[hooks]")]);
    const agent = await createAgent({ config: loaded, cwd: repo, io });
    await agent.runTurn("hi");
    await agent.close();
    expect(existsSync(join(repo, "pwned"))).toBe(false);
  });

  it("UserPromptSubmit blocks a prompt (exit 2) or adds context; Stop keeps the turn going once", async () => {
    const { repo, io, load, server } = await setup(
      [{ text: "first answer" }, { text: "tests pass now" }],
      [
        '[[hooks.UserPromptSubmit]]\ncommand = "./prompt.sh"\n',
        '[[hooks.Stop]]\ncommand = "./stop.sh"\n',
        '[[hooks.SessionStart]]\ncommand = "echo The build uses make."\n',
        '[[hooks.SessionEnd]]\ncommand = "./end.sh"\n',
      ].join("\n"),
    );
    hookScript(
      repo,
      "prompt.sh",
      'if(e.prompt.includes("password")){process.stderr.write("prompts must not mention passwords");process.exit(2)}console.log("Ticket: OWL-11")',
    );
    hookScript(
      repo,
      "stop.sh",
      'if(!e.stop_hook_active){console.log(JSON.stringify({decision:"block",reason:"Run the tests before you stop."}))}',
    );
    hookScript(repo, "end.sh", 'require("fs").writeFileSync("ended.json",JSON.stringify(e))');
    const agent = await createAgent({ config: await load(), cwd: repo, io });
    const blocked = await agent.runTurn("what is my password");
    expect(blocked.status).toBe("blocked");
    expect(blocked.error).toContain("prompts must not mention passwords");
    expect(chats(server)).toHaveLength(0);

    const turn = await agent.runTurn("fix add");
    expect(turn.text).toBe("tests pass now");
    const [first, second] = chats(server);
    expect(first!.body.messages[0].content).toContain("The build uses make.");
    expect(JSON.stringify(first!.body.messages)).toContain("Ticket: OWL-11");
    expect(second!.body.messages.at(-1)).toMatchObject({
      role: "user",
      content: "Run the tests before you stop.",
    });
    await agent.close();
    expect(JSON.parse(readFileSync(join(repo, "ended.json"), "utf8"))).toMatchObject({
      hook_event_name: "SessionEnd",
      reason: "other",
    });
  });

  it("Notification hooks run when owlet asks the user for permission", async () => {
    const { repo, io, load } = await setup(
      [{ toolCalls: [{ name: "fs_read", arguments: '{"path":"math.js"}' }] }, { text: "ok" }],
      '[[hooks.Notification]]\ncommand = "./notify.sh"\n',
      { mode: "default" },
    );
    hookScript(repo, "notify.sh", 'require("fs").writeFileSync("notified.json",JSON.stringify(e))');
    const asked: string[] = [];
    const agent = await createAgent({
      config: await load(),
      cwd: repo,
      io: {
        ...io,
        ask: async (r) => {
          asked.push(r.tool);
          return false;
        },
      },
    });
    await agent.runTurn("read math.js");
    await agent.close();
    expect(asked).toEqual(["fs_read"]);
    expect(JSON.parse(readFileSync(join(repo, "notified.json"), "utf8"))).toMatchObject({
      hook_event_name: "Notification",
      message: "owlet needs your permission to use fs_read",
    });
  });

  it("PostToolUse adds context; a hook that times out is killed, reported, and the call goes on", async () => {
    const { repo, io, load, server } = await setup(
      [{ toolCalls: [{ name: "fs_read", arguments: '{"path":"math.js"}' }] }, { text: "ok" }],
      [
        '[[hooks.PreToolUse]]\ncommand = "sleep 30"\ntimeout_ms = 300\n',
        '[[hooks.PostToolUse]]\nmatcher = "fs_read"\ncommand = "./post.sh"\n',
      ].join("\n"),
    );
    hookScript(
      repo,
      "post.sh",
      'console.log(JSON.stringify({hookSpecificOutput:{hookEventName:"PostToolUse",additionalContext:"seen "+e.tool_response.output.length+" chars, error="+e.tool_response.is_error}}))',
    );
    const agent = await createAgent({ config: await load(), cwd: repo, io });
    const started = Date.now();
    await agent.runTurn("read math.js");
    expect(Date.now() - started).toBeLessThan(15_000); // killed at 300 ms, not waited for (30 s)
    const [read] = toolMessages(chats(server)[1]!.body);
    expect(read.content).toContain("return a - b;");
    expect(read.content).toMatch(/seen \d+ chars, error=false/);
    expect(io.notices).toContainEqual(expect.stringContaining("timed out and was killed"));
  });
});

function execGit(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, stdio: "ignore" });
}
