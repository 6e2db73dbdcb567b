/**
 * What summary compaction costs in a long conversation (issue 12): the scripted long conversation of the tests
 * (a fact, then N "read part" turns of two ~2,400-char reads and a 600-char answer, then a question about the
 * fact) runs on the engine as the agent wires it, on a local and a cloud arm, for several windows. Per window it
 * prints: rounds, summary requests (and their share of all requests), the largest request as a share of the
 * window (by the 4-chars-per-token estimate over its JSON), the conversation's size as a multiple of the window,
 * and whether the answer still held the fact. Writes bench/results/compaction.json.
 * Run: `npm run bench -- compaction`.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { engineOptions } from "../src/agent/engine-setup.ts";
import { buildGates } from "../src/agent/permission-gate.ts";
import { builtinRegistry, toolContext } from "../src/agent/tools.ts";
import { owletConfigSchema } from "../src/config/schema.ts";
import { Engine } from "../src/engine/engine.ts";
import { FixedRouting } from "../src/engine/fixed-routing.ts";
import { createProvider } from "../src/provider/factory.ts";
import { SessionStore } from "../src/session/index.ts";
import {
  FACT,
  FACT_PROMPT,
  isSummaryRequest,
  longConversationReply,
  partText,
  QUESTION,
  readPrompt,
  requestTokens,
} from "../test/support/long-conversation.ts";
import { startScriptedServer } from "../test/support/scripted-server.ts";
import { printTable } from "./stats.ts";

const TURNS = 16;
const root = fileURLToPath(new URL("..", import.meta.url));

async function run(local: boolean, window: number) {
  const server = await startScriptedServer((req) => longConversationReply(req));
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "owlet-bench-compaction-")));
  try {
    for (let i = 1; i <= TURNS; i++) {
      writeFileSync(join(dir, `part${i}a.txt`), partText(`part${i}a`));
      writeFileSync(join(dir, `part${i}b.txt`), partText(`part${i}b`));
    }
    const config = owletConfigSchema.parse({});
    const store = new SessionStore(dir);
    const session = store.create({ provider: "bench", model: "m", cwd: dir });
    const arm = {
      id: "bench/m",
      provider: createProvider({ name: "openai-compatible", baseURL: server.baseURL }),
      model: "m",
      local,
      contextWindow: window,
    };
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
        onEvent: () => {},
      }),
      twoStage: "off",
    });
    let rounds = 0;
    let answer = "";
    for (const prompt of [
      FACT_PROMPT,
      ...Array.from({ length: TURNS }, (_, i) => readPrompt(i + 1)),
      QUESTION,
    ]) {
      const turn = await engine.runTurn(prompt);
      rounds += turn.rounds;
      answer = turn.text;
    }
    const chats = server.requests.filter((r) => r.path.startsWith("/v1/chat"));
    const summaries = chats.filter((r) => isSummaryRequest(r.body)).length;
    const largest = Math.max(...chats.map((r) => requestTokens(r.body) + (r.body.max_tokens ?? 0)));
    return {
      arm: local ? "local" : "cloud",
      window,
      rounds,
      summaryRequests: summaries,
      summaryShare: summaries / chats.length,
      largestRequestShare: largest / window,
      conversationWindows: JSON.stringify(session.messages()).length / 4 / window,
      factKept: answer.includes(FACT),
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const local of [true, false])
  for (const window of [4096, 8192, 16384]) results.push(await run(local, window));
printTable([
  [
    "arm",
    "window",
    "rounds",
    "summaries",
    "summary share",
    "largest/window",
    "conversation/window",
    "fact kept",
  ],
  ...results.map((r) => [
    r.arm,
    r.window,
    r.rounds,
    r.summaryRequests,
    r.summaryShare.toFixed(2),
    r.largestRequestShare.toFixed(2),
    r.conversationWindows.toFixed(1),
    String(r.factKept),
  ]),
]);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "compaction.json"), `${JSON.stringify(results, null, 2)}\n`);
