import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { INIT_PROMPT } from "../../src/agent/init.ts";
import { promptAsksForChange } from "../../src/agent/prompt-intent.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { requestTokens } from "../support/long-conversation.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const GHP = "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";
const systemOf = (body: any) => String(body.messages[0]?.content ?? "");
const call = (name: string, args: unknown) => ({ toolCalls: [{ name, arguments: JSON.stringify(args) }] });

describe("project instructions (issue 12)", () => {
  it("the user's, the root's and the nearest subdirectory's files reach the system prompt, secrets redacted", async () => {
    server = await startScriptedServer(() => ({ text: "ok" }));
    const repo = await fixtureRepo("repo-add");
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    mkdirSync(join(home, "config", "owlet"), { recursive: true });
    writeFileSync(join(home, "config", "owlet", "AGENTS.md"), "USER-RULE: answer in English.");
    writeFileSync(join(repo, "AGENTS.md"), `ROOT-RULE: run npm test.\ntoken: ${GHP}\n`);
    writeFileSync(join(repo, "CLAUDE.md"), "CLAUDE-RULE: be brief.");
    mkdirSync(join(repo, "pkg", "sub"), { recursive: true });
    writeFileSync(join(repo, "pkg", "AGENTS.md"), "SUBDIR-RULE: this package uses tabs.");
    const run = await runOwlet(
      ["-p", "hi", "--provider", "openai-compatible", "--base-url", server.baseURL, "--model", "m"],
      { cwd: join(repo, "pkg", "sub"), home },
    );
    expect(run.code, run.stderr).toBe(0);
    const system = systemOf(server.requests.find((r) => r.path.startsWith("/v1/chat"))!.body);
    for (const rule of ["USER-RULE", "ROOT-RULE", "CLAUDE-RULE", "SUBDIR-RULE"])
      expect(system).toContain(rule);
    expect(system.indexOf("USER-RULE")).toBeLessThan(system.indexOf("SUBDIR-RULE"));
    expect(system).not.toContain(GHP);
    expect(system).toContain("[REDACTED");
  }, 60_000);

  it("on a local arm with a small window, long instructions are cut with a note and the request fits", async () => {
    server = await startScriptedServer(() => ({ text: "ok" }));
    const repo = await fixtureRepo("repo-add");
    writeFileSync(
      join(repo, "AGENTS.md"),
      `# Rules\n${"Always run the whole test suite first. ".repeat(600)}`,
    );
    const window = 4096;
    const run = await runOwlet(
      [
        "-p",
        "hi",
        "--provider",
        "openai-compatible",
        "--base-url",
        server.baseURL,
        "--model",
        "m",
        "--context-window",
        String(window),
      ],
      { cwd: repo },
    );
    expect(run.code, run.stderr).toBe(0);
    const body = server.requests.find((r) => r.path.startsWith("/v1/chat"))!.body;
    expect(systemOf(body)).toMatch(/project docs cut: \d+ more bytes not shown/);
    expect(Buffer.byteLength(systemOf(body))).toBeLessThan(2600);
    expect(requestTokens(body) + (body.max_tokens ?? 0)).toBeLessThanOrEqual(window);
  }, 60_000);

  it("owlet init writes AGENTS.md from a turn with read-only tools, and never replaces one without --force", async () => {
    expect(promptAsksForChange(INIT_PROMPT)).toBe(false); // the turn reads; owlet writes the file
    server = await startScriptedServer([
      call("fs_ls", { path: "." }),
      call("fs_read", { path: "package.json" }),
      { text: "```markdown\n# AGENTS.md\n\n## Commands\n- test: `npm test`\n```" },
    ]);
    const repo = await fixtureRepo("repo-add");
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    const arm = [
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "m",
      "--no-two-stage",
    ];
    const init = await runOwlet(["init", ...arm], { cwd: repo, home });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/wrote .*AGENTS\.md/);
    expect(readFileSync(join(repo, "AGENTS.md"), "utf8")).toBe(
      "# AGENTS.md\n\n## Commands\n- test: `npm test`\n",
    );
    const first = server.requests.find((r) => r.path.startsWith("/v1/chat"))!.body;
    const offered = (first.tools as any[]).map((t) => t.function.name).sort();
    expect(offered).toEqual(["fs_glob", "fs_grep", "fs_ls", "fs_read"]);
    const before = server.requests.length;
    const again = await runOwlet(["init", ...arm], { cwd: repo, home });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/AGENTS\.md exists.*--force/);
    expect(server.requests.length).toBe(before);
    expect(existsSync(join(repo, "AGENTS.md"))).toBe(true);
  }, 60_000);
});
