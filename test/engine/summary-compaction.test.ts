import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { engineOptions } from "../../src/agent/engine-setup.ts";
import { buildGates } from "../../src/agent/permission-gate.ts";
import { builtinRegistry, toolContext } from "../../src/agent/tools.ts";
import { type OwletConfig, owletConfigSchema } from "../../src/config/schema.ts";
import { Engine } from "../../src/engine/engine.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { FixedRouting } from "../../src/engine/fixed-routing.ts";
import type { ArmHandle } from "../../src/engine/routing.ts";
import { createProvider } from "../../src/provider/factory.ts";
import { type Session, SessionStore } from "../../src/session/index.ts";
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
import { type Script, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

/**
 * An engine wired as the agent wires it (engineOptions: `[context]` compaction, the session's message, usage and
 * summary hooks), over a cloud arm (not local: full system prompt, all tools, no two-stage) of a scripted server.
 */
async function cloudEngine(
  script: Script,
  window: number,
  extra: Partial<Parameters<typeof engineOptions>[0]> = {},
  configure: (c: OwletConfig) => void = () => {},
) {
  server = await startScriptedServer(script);
  dir = await realpath(await mkdtemp(join(tmpdir(), "owlet-cloud-")));
  const config = owletConfigSchema.parse({});
  configure(config);
  const provider = createProvider({ name: "openai-compatible", baseURL: server.baseURL });
  const arm: ArmHandle = {
    id: "cloud/scripted",
    provider,
    model: "scripted-model",
    local: false,
    contextWindow: window,
  };
  const store = new SessionStore(dir);
  const session = store.create({ provider: "cloud", model: "scripted-model", cwd: dir });
  const events: EngineEvent[] = [];
  const engine = new Engine({
    ...engineOptions({
      config,
      cwd: dir,
      routing: new FixedRouting(arm),
      tools: builtinRegistry(),
      toolContext: toolContext(config, dir, {}),
      gates: buildGates(config, undefined, () => {}),
      session,
      sessionsDir: store.dir,
      onEvent: (e) => events.push(e),
      ...extra,
    }),
    retryDelaysMs: [5, 5, 5, 5],
  });
  return { engine, session, store, events, arm, workspace: dir };
}

const chats = () => server!.requests.filter((r) => r.path.startsWith("/v1/chat"));

describe("summary compaction on a cloud arm (issue 12)", () => {
  it("goes past 3× a small configured window: every request fits, the summary carries the first turn's fact", async () => {
    const window = 6000;
    const c = await cloudEngine((req) => longConversationReply(req), window);
    const turns = 14;
    for (let i = 1; i <= turns; i++) {
      await writeFile(join(c.workspace, `part${i}a.txt`), partText(`part${i}a`));
      await writeFile(join(c.workspace, `part${i}b.txt`), partText(`part${i}b`));
    }
    const prompts = [FACT_PROMPT, ...Array.from({ length: turns }, (_, i) => readPrompt(i + 1)), QUESTION];
    let answer = "";
    for (const prompt of prompts) {
      const turn = await c.engine.runTurn(prompt);
      expect(turn.status, turn.error).toBe("success");
      answer = turn.text;
    }
    expect(answer).toContain(FACT);
    const summaries = chats().filter((r) => isSummaryRequest(r.body));
    expect(summaries.length).toBeGreaterThan(0);
    for (const r of chats())
      expect(requestTokens(r.body) + (r.body.max_tokens ?? 0)).toBeLessThanOrEqual(window);
    expect(JSON.stringify(summaries[0]!.body.messages)).toContain(FACT_PROMPT);
    const asked = chats().at(-1)!.body.messages;
    expect(JSON.stringify(asked)).toContain(`deploy code is ${FACT}`);
    expect(JSON.stringify(asked)).not.toContain(FACT_PROMPT);
    // stored: summary records, the whole conversation (past 3× the window), and a view that resumes compacted
    const stored: Session = c.store.open(c.session.id);
    expect(stored.messages().length).toBeGreaterThan(stored.view().length);
    expect(JSON.stringify(stored.messages()).length / 4).toBeGreaterThan(3 * window);
    expect(JSON.stringify(stored.view())).toContain(`deploy code is ${FACT}`);
    expect(JSON.stringify(stored.view()[0])).toContain("[Summary of the earlier conversation");
    expect(c.store.read(c.session.id).summaries).toBe(summaries.length);
  });

  it("adds no request while the window is not near full", async () => {
    const c = await cloudEngine((req) => longConversationReply(req), 200_000);
    for (let i = 1; i <= 3; i++) {
      await writeFile(join(c.workspace, `part${i}a.txt`), partText(`part${i}a`));
      await writeFile(join(c.workspace, `part${i}b.txt`), partText(`part${i}b`));
    }
    let rounds = 0;
    for (const prompt of [FACT_PROMPT, readPrompt(1), readPrompt(2), readPrompt(3)]) {
      rounds += (await c.engine.runTurn(prompt)).rounds;
    }
    expect(chats()).toHaveLength(rounds);
    expect(chats().some((r) => isSummaryRequest(r.body))).toBe(false);
    expect(c.events.some((e) => e.type === "compaction")).toBe(false);
  });

  it("runs the PreCompact hook with the trigger, and its instructions reach the summary request", async () => {
    const seen: unknown[] = [];
    const c = await cloudEngine((req) => longConversationReply(req), 6000, {
      beforeCompact: (event) => {
        seen.push(event);
        return { additionalInstructions: "keep the file names" };
      },
    });
    for (let i = 1; i <= 4; i++) {
      await writeFile(join(c.workspace, `part${i}a.txt`), partText(`part${i}a`));
      await writeFile(join(c.workspace, `part${i}b.txt`), partText(`part${i}b`));
    }
    for (const prompt of [FACT_PROMPT, readPrompt(1), readPrompt(2), readPrompt(3), readPrompt(4)]) {
      await c.engine.runTurn(prompt);
    }
    expect(seen[0]).toMatchObject({ trigger: "auto" });
    const summary = chats().find((r) => isSummaryRequest(r.body))!;
    expect(JSON.stringify(summary.body.messages)).toContain("Keep in focus: keep the file names");
  });

  it("a summary that fails is reported once and the budget drops rounds instead; the turn still succeeds", async () => {
    const c = await cloudEngine(
      (req) =>
        isSummaryRequest(req.body)
          ? { status: 400, errorBody: { error: { message: "no" } } }
          : longConversationReply(req),
      6000,
    );
    for (let i = 1; i <= 4; i++) {
      await writeFile(join(c.workspace, `part${i}a.txt`), partText(`part${i}a`));
      await writeFile(join(c.workspace, `part${i}b.txt`), partText(`part${i}b`));
    }
    for (const prompt of [FACT_PROMPT, readPrompt(1), readPrompt(2), readPrompt(3), readPrompt(4)]) {
      const turn = await c.engine.runTurn(prompt);
      expect(turn.status, turn.error).toBe("success");
    }
    expect(c.events.some((e) => e.type === "warning" && /could not summarise/.test(e.message))).toBe(true);
    expect(c.events.some((e) => e.type === "compaction" && e.reason === "fit the context window")).toBe(true);
  });

  it("compacts on request (owlet compact) even when the window is far from full", async () => {
    const c = await cloudEngine((req) => longConversationReply(req), 200_000);
    await writeFile(join(c.workspace, "part1a.txt"), partText("part1a"));
    await writeFile(join(c.workspace, "part1b.txt"), partText("part1b"));
    for (const prompt of [FACT_PROMPT, readPrompt(1), "thanks"]) await c.engine.runTurn(prompt);
    const record = await c.engine.compact({ arm: c.arm, focus: "the deploy code" });
    expect(record).toMatchObject({ trigger: "manual", arm: "cloud/scripted" });
    expect(record!.tokensAfter).toBeLessThan(record!.tokensBefore);
    const summary = chats().find((r) => isSummaryRequest(r.body))!;
    expect(JSON.stringify(summary.body.messages)).toContain("Keep in focus: the deploy code");
    expect(JSON.stringify(c.engine.history[0])).toContain(FACT);
    expect(c.store.read(c.session.id).summaries).toBe(1);
  });
});
