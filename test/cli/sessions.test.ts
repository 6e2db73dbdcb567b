import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { FACT, FACT_PROMPT, isSummaryRequest, longConversationReply } from "../support/long-conversation.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup() {
  server = await startScriptedServer((req) => longConversationReply(req));
  const repo = await fixtureRepo("repo-add");
  const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
  const arm = ["--provider", "openai-compatible", "--base-url", server.baseURL, "--model", "scripted-model"];
  const sessionFiles = () =>
    existsSync(join(repo, ".owlet", "sessions"))
      ? readdirSync(join(repo, ".owlet", "sessions")).filter((f) => f.endsWith(".jsonl"))
      : [];
  return { repo, home, arm, sessionFiles };
}

describe("owlet compact and owlet sessions (issue 12)", () => {
  it("compact summarises the latest session on request; the summary record is in the session file", async () => {
    const { repo, home, arm, sessionFiles } = await setup();
    for (const [i, prompt] of [FACT_PROMPT, "anything new?", "and now?"].entries()) {
      const run = await runOwlet(["-p", prompt, ...arm, "--no-two-stage", ...(i ? ["--continue"] : [])], {
        cwd: repo,
        home,
      });
      expect(run.code, run.stderr).toBe(0);
    }
    const compact = await runOwlet(["compact", "the", "deploy", "code", ...arm], { cwd: repo, home });
    expect(compact.code, compact.stderr).toBe(0);
    expect(compact.stdout).toMatch(/compacted by openai-compatible\/scripted-model, \d+ → \d+ tokens/);
    const summary = server!.requests.find((r) => isSummaryRequest(r.body))!;
    expect(JSON.stringify(summary.body.messages)).toContain("Keep in focus: the deploy code");
    const [file] = sessionFiles();
    const records = readFileSync(join(repo, ".owlet", "sessions", file!), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.find((r) => r.type === "summary")).toMatchObject({ trigger: "manual" });
    expect(records.find((r) => r.type === "summary").summary).toContain(FACT);
  }, 60_000);

  it("--no-session-persistence leaves nothing on disk", async () => {
    const { repo, home, arm } = await setup();
    const run = await runOwlet(["-p", "hello", ...arm, "--no-session-persistence"], { cwd: repo, home });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(repo, ".owlet"))).toBe(false);
  });

  it("lists, removes and prunes sessions; an unknown id is a usage error that says what to do", async () => {
    const { repo, home, arm, sessionFiles } = await setup();
    for (const prompt of ["first", "second"]) {
      const run = await runOwlet(["-p", prompt, ...arm], { cwd: repo, home });
      expect(run.code, run.stderr).toBe(0);
    }
    const ids = sessionFiles().map((f) => f.replace(/\.jsonl$/, ""));
    expect(ids).toHaveLength(2);
    const list = await runOwlet(["sessions", "list"], { cwd: repo, home });
    expect(list.stdout).toContain("first");
    expect(list.stdout).toContain("second");
    const old = join(repo, ".owlet", "sessions", `${ids[0]}.jsonl`);
    const longAgo = new Date(Date.now() - 45 * 86_400_000);
    utimesSync(old, longAgo, longAgo);
    const dry = await runOwlet(["sessions", "prune", "--older-than", "30d", "--dry-run"], {
      cwd: repo,
      home,
    });
    expect(dry.stdout).toContain(`would remove 1 session`);
    expect(sessionFiles()).toHaveLength(2);
    const prune = await runOwlet(["sessions", "prune", "--older-than", "30d"], { cwd: repo, home });
    expect(prune.code, prune.stderr).toBe(0);
    expect(sessionFiles()).toEqual([`${ids[1]}.jsonl`]);
    const rm = await runOwlet(["sessions", "rm", ids[1]!], { cwd: repo, home });
    expect(rm.code, rm.stderr).toBe(0);
    expect(sessionFiles()).toEqual([]);
    const missing = await runOwlet(["sessions", "show", ids[1]!], { cwd: repo, home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no session .*owlet sessions list/);
    expect(missing.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    const bad = await runOwlet(["sessions", "prune", "--older-than", "soon"], { cwd: repo, home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/30d/);
  }, 60_000);
});
