import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";
import { streamLines, systemEvents, toolResults, toolUses } from "../support/stream-json.ts";

let server: ScriptedServer | undefined;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The main job, scripted: grep → read → edit → run the tests → answer. */
function mainJobScript(): ScriptedReply[] {
  return [
    {
      text: "Let me find it.",
      toolCalls: [{ name: "fs_grep", arguments: JSON.stringify({ pattern: "function add" }) }],
    },
    { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }] },
    {
      toolCalls: [
        {
          name: "fs_edit",
          arguments: JSON.stringify({
            path: "math.js",
            old_string: "return a - b;",
            new_string: "return a + b;",
          }),
          chunks: 3,
        },
      ],
    },
    { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "node test.js" }) }] },
    { text: ["Fixed `add`: it subtracted ", "instead of adding. The tests pass."] },
  ];
}

const flags = (s: ScriptedServer) => [
  "--provider",
  "openai-compatible",
  "--base-url",
  s.baseURL,
  "--model",
  "scripted-model",
  "--permission-mode",
  "bypass",
];

describe("owlet -p: the main job on a fixture repository", () => {
  it("greps, reads, edits, runs the tests and answers (json output)", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer(mainJobScript());
    const run = await runOwlet(["-p", "fix the add function", ...flags(server), "--output-format", "json"], {
      cwd: repo,
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim());
    expect(result).toMatchObject({ type: "result", subtype: "success", is_error: false, num_turns: 5 });
    expect(result.result).toContain("tests pass");
    expect(result.usage.input_tokens).toBeGreaterThan(0);
    expect(result.session_id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(await readFile(join(repo, "math.js"), "utf8")).toContain("return a + b;");

    expect(server.requests.filter((r) => r.path.includes("chat/completions"))).toHaveLength(5);
    const last = server.requests.at(-1)!.body.messages;
    const bashResult = last.filter((m: any) => m.role === "tool").at(-1);
    expect(bashResult.content).toContain("all tests passed");
    // the session is on disk, one JSON object per line, private
    const sessionFile = join(repo, ".owlet", "sessions", `${result.session_id}.jsonl`);
    const lines = (await readFile(sessionFile, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0].type).toBe("meta");
    expect(lines.filter((l) => l.type === "message").length).toBeGreaterThanOrEqual(10);
    const { statSync } = await import("node:fs");
    expect(statSync(sessionFile).mode & 0o777).toBe(0o600);
  });

  it("stream-json prints one object per line: system/init, routing, assistant tool_use, user tool_result, result", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer(mainJobScript());
    const run = await runOwlet(
      ["-p", "fix the add function", ...flags(server), "--output-format", "stream-json"],
      { cwd: repo },
    );
    expect(run.code, run.stderr).toBe(0);
    const events = streamLines(run.stdout);
    expect(events[0]).toMatchObject({ type: "system", subtype: "init" });
    expect(events[1]).toMatchObject({ type: "system", subtype: "routing" });
    expect(events.at(-1).type).toBe("result");
    expect(events.some((e) => e.type === "assistant" && e.message.content[0].type === "text")).toBe(true);
    const calls = toolUses(events);
    // A loopback server is a local arm: owlet runs the tests first and reads the code under test for the model
    // (the fix loop), then the scripted calls run, and the edit is checked at once.
    expect(calls.map((c) => c.name)).toEqual([
      "bash",
      "fs_read",
      "fs_grep",
      "fs_read",
      "fs_edit",
      "bash",
      "bash",
    ]);
    expect(calls[0]?.id).toMatch(/^check_/);
    for (const c of calls) expect(typeof c.id).toBe("string");
    const results = toolResults(events);
    expect(results.map((r) => r.tool_use_id)).toEqual(calls.map((c) => c.id));
    // the tests fail before the fix and pass after it; every other call succeeds
    expect(results.map((r) => r.is_error === true)).toEqual([true, false, false, false, false, false, false]);
  });

  it("text output prints the final answer on stdout when piped", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer(mainJobScript());
    const run = await runOwlet(["-p", "fix the add function", ...flags(server)], { cwd: repo });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("Fixed `add`: it subtracted instead of adding. The tests pass.");
    expect(run.stderr).toContain("fs_edit");
  });

  it("takes the prompt from stdin and --continue resumes the latest session", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer([{ text: "first answer" }, { text: "second answer" }]);
    const first = await runOwlet([...flags(server), "--output-format", "json"], {
      cwd: repo,
      input: "remember the word owl\n",
    });
    expect(first.code, first.stderr).toBe(0);
    const second = await runOwlet(
      ["-p", "what word?", "--continue", ...flags(server), "--output-format", "json"],
      { cwd: repo },
    );
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).session_id).toBe(JSON.parse(first.stdout).session_id);
    const msgs = server.requests.at(-1)!.body.messages.map((m: any) => JSON.stringify(m.content));
    expect(msgs.join("\n")).toContain("remember the word owl");
    expect(msgs.join("\n")).toContain("first answer");
  });

  it("appends input redirected on stdin to a prompt given with -p", async () => {
    const repo = await fixtureRepo("repo-add");
    const input = join(mkdtempSync(join(tmpdir(), "owlet-stdin-")), "diff.txt");
    writeFileSync(input, "-return a - b\n+return a + b\n");
    server = await startScriptedServer([{ text: "looks right" }]);
    const run = await runOwlet(["-p", "review this diff", ...flags(server)], { cwd: repo, stdinFile: input });
    expect(run.code, run.stderr).toBe(0);
    // The first chat request (a loopback arm's server-kind probes come first: GET /props, …).
    const chat = server.requests.find((r) => r.path.startsWith("/v1/chat/completions"))!;
    const user = chat.body.messages.filter((m: any) => m.role === "user");
    const text = JSON.stringify(user.at(-1).content);
    expect(text).toContain("review this diff");
    expect(text).toContain("+return a + b");
    expect(text.indexOf("review this diff")).toBeLessThan(text.indexOf("+return a + b"));
  });
});

describe("owlet -p: errors a user can act on", () => {
  it("asks become denials without a TTY, telling the model and user to use --permission-mode", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer([
      { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "node test.js" }) }] },
      { text: "I could not run the tests." },
    ]);
    const run = await runOwlet(
      [
        "-p",
        "run the tests",
        "--provider",
        "openai-compatible",
        "--base-url",
        server.baseURL,
        "--model",
        "m",
        "--output-format",
        "stream-json",
      ],
      { cwd: repo },
    );
    // A turn whose calls were denied never looks like a success: exit 1, the denial listed in the result.
    expect(run.code, run.stderr).toBe(1);
    const events = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const result = toolResults(events)[0]!;
    expect(result.is_error).toBe(true);
    expect(result.content).toContain("--permission-mode");
    expect(systemEvents(events, "permission_denied")[0]).toMatchObject({ tool_name: "bash" });
    const final = events.at(-1);
    // The model ended its turn (Claude Code's subtype success), but owlet reports the denial: is_error and its status.
    expect(final).toMatchObject({
      type: "result",
      subtype: "success",
      owlet_status: "permission_denied",
      is_error: true,
    });
    expect(final.permission_denials).toEqual([
      { tool_name: "bash", tool_use_id: expect.any(String), tool_input: { command: "node test.js" } },
    ]);
  });

  it("text output names a denied call and the flag that would allow it, on stderr", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer([
      { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }] },
      {
        toolCalls: [
          {
            name: "fs_edit",
            arguments: JSON.stringify({ path: "math.js", old_string: "a - b", new_string: "a + b" }),
          },
        ],
      },
      { text: "Fixed it." },
      // owlet reminds a model that changed nothing once; without this reply the script runs dry and the
      // run spends 15 s on retries
      { text: "I could not edit math.js." },
    ]);
    const run = await runOwlet(
      [
        "-p",
        "fix the add function",
        "--provider",
        "openai",
        "--base-url",
        server.baseURL,
        "--api-key",
        "k",
        "--model",
        "m",
      ],
      { cwd: repo },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /denied 1 call: fs_edit math\.js\. Allow edits with --permission-mode accept_edits/,
    );
    expect(await readFile(join(repo, "math.js"), "utf8")).toContain("return a - b;");
  });

  it("missing credentials: says what to set, exit 2, no stack trace", async () => {
    const repo = await fixtureRepo("repo-add");
    const run = await runOwlet(["-p", "hi", "--provider", "openai"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("OPENAI_API_KEY");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("unreachable endpoint: names it, exit 2, no stack trace", async () => {
    const repo = await fixtureRepo("repo-add");
    const port = await closedPort();
    const started = Date.now();
    const run = await runOwlet(
      ["-p", "hi", "--provider", "llamacpp", "--base-url", `http://127.0.0.1:${port}/v1`, "--model", "m"],
      { cwd: repo },
    );
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(10_000); // not retried like a transient error
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a config error names the file, line and key, exit 2", async () => {
    const repo = await fixtureRepo("repo-add");
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(join(repo, ".owlet"));
    await writeFile(
      join(repo, ".owlet", "config.toml"),
      '[provider]\ndefault = "openai-compatible"\nmodle = "x"\n',
    );
    const run = await runOwlet(["-p", "hi"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(".owlet/config.toml:3");
    expect(run.stderr).toContain("provider.modle");
  });

  it("setup mistakes are one clear line and exit 2: no base URL, a malformed URL, a model file that is not GGUF", async () => {
    const repo = await fixtureRepo("repo-add");
    const cases: [string[], RegExp][] = [
      [["--provider", "openai-compatible", "--model", "m"], /--base-url/],
      [["--provider", "llamacpp", "--base-url", "notaurl"], /not a URL/],
      [["--provider", "embedded", "--model", "math.js"], /GGUF/i],
      [["--provider", "embedded", "--model", "missing.gguf"], /not found/],
    ];
    for (const [args, message] of cases) {
      const run = await runOwlet(["-p", "hi", ...args], { cwd: repo });
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("subcommand usage errors exit 2", async () => {
    const run = await runOwlet(["router", "stats", "--bogus"], { cwd: process.cwd() });
    expect(run.code).toBe(2);
  });

  it("--resume with an unknown id says so before looking for a model (exit 2)", async () => {
    const repo = await fixtureRepo("repo-add");
    const run = await runOwlet(["-p", "hi", "--resume", "20990101-000000-abcdef"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("20990101-000000-abcdef");
    expect(run.stderr).not.toMatch(/no model/);
  });

  it("no prompt and no stdin is a usage error", async () => {
    const repo = await fixtureRepo("repo-add");
    const run = await runOwlet(["--provider", "openai-compatible", "--base-url", "http://127.0.0.1:9/v1"], {
      cwd: repo,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/prompt/);
  });

  it("--version prints the version", async () => {
    const run = await runOwlet(["--version"], { cwd: process.cwd() });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
