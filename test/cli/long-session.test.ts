import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo } from "../support/fixture-repo.ts";
import {
  FACT,
  FACT_PROMPT,
  isSummaryRequest,
  longConversationReply,
  partText,
  QUESTION,
  readPrompt,
  requestTokens,
} from "../support/long-conversation.ts";
import { runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const WINDOW = 4096;
const TURNS = 11;

function sessionLines(repo: string): any[] {
  const dir = join(repo, ".owlet", "sessions");
  const file = readdirSync(dir).find((f) => f.endsWith(".jsonl"))!;
  return readFileSync(join(dir, file), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

describe("a long conversation on a local arm (issue 12)", () => {
  it("goes past 3× the window: every request fits, summaries are stored, and the first turn's fact survives", async () => {
    server = await startScriptedServer((req) => longConversationReply(req));
    const repo = await fixtureRepo("repo-add");
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    for (let i = 1; i <= TURNS; i++) {
      await writeFile(join(repo, `part${i}a.txt`), partText(`part${i}a`));
      await writeFile(join(repo, `part${i}b.txt`), partText(`part${i}b`));
    }
    const base = [
      "--provider",
      "openai-compatible",
      "--base-url",
      server.baseURL,
      "--model",
      "scripted-model",
      "--context-window",
      String(WINDOW),
      "--no-two-stage",
    ];
    const prompts = [FACT_PROMPT, ...Array.from({ length: TURNS }, (_, i) => readPrompt(i + 1)), QUESTION];
    let last = "";
    for (const [i, prompt] of prompts.entries()) {
      const run = await runOwlet(["-p", prompt, ...base, ...(i > 0 ? ["--continue"] : [])], {
        cwd: repo,
        home,
      });
      expect(run.code, `${prompt}\n${run.stderr}`).toBe(0);
      last = run.stdout;
    }
    // the answer to the question about the first turn: the fact is still in the context
    expect(last).toContain(FACT);

    const chats = server.requests.filter((r) => r.path.startsWith("/v1/chat"));
    const summaries = chats.filter((r) => isSummaryRequest(r.body));
    expect(summaries.length).toBeGreaterThan(0);
    // every request fits the window, summary requests included
    for (const r of chats) {
      expect(
        requestTokens(r.body) + (r.body.max_tokens ?? r.body.max_completion_tokens ?? 0),
      ).toBeLessThanOrEqual(WINDOW);
    }
    // the fact reached a summary request, and the request that asked the question carried the summary, not the
    // first turn itself
    expect(summaries.some((r) => JSON.stringify(r.body.messages).includes(FACT_PROMPT))).toBe(true);
    const question = chats.filter((r) => JSON.stringify(r.body.messages).includes(QUESTION)).at(-1)!;
    const sent = JSON.stringify(question.body.messages);
    expect(sent).toContain("[Summary of the earlier conversation");
    expect(sent).toContain(`deploy code is ${FACT}`);
    expect(sent).not.toContain(FACT_PROMPT);

    // the session file holds the summaries and the whole conversation, which is past 3× the window
    const lines = sessionLines(repo);
    expect(lines.filter((l) => l.type === "summary").length).toBeGreaterThan(0);
    const messages = lines.filter((l) => l.type === "message");
    expect(JSON.stringify(messages).length / 4).toBeGreaterThan(3 * WINDOW);
    expect(JSON.stringify(messages[0])).toContain(FACT_PROMPT);

    // resume shows the compacted view; --full the whole history
    const id = lines[0].id as string;
    const view = await runOwlet(["sessions", "show", id], { cwd: repo, home });
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toContain("[summary of earlier messages]");
    expect(view.stdout).not.toContain(`user: ${FACT_PROMPT}`);
    const full = await runOwlet(["sessions", "show", id, "--full"], { cwd: repo, home });
    expect(full.stdout).toContain(`user: ${FACT_PROMPT}`);
    // no turn tripped a detector: the kept rounds and the summary carried what each turn had done
    expect(full.stdout).not.toContain("[system]");
    const list = await runOwlet(["sessions", "list", "--json"], { cwd: repo, home });
    const [row] = JSON.parse(list.stdout);
    expect(row).toMatchObject({ id, turns: prompts.length, title: FACT_PROMPT });
    expect(row.input_tokens).toBeGreaterThan(0);
  }, 120_000);
});
