/**
 * The embedded runtime on the real model (SmolLM2-135M-Instruct Q4_1 at OWLET_TEST_MODEL, else fetched by
 * scripts/fetch-test-model.sh): load time (ms), prompt and generation speed (tokens/s), and the time to first
 * token of round 1 with two-stage routing (only select_category, tool choice `required`) against a
 * full-catalogue round 1 (the 7 built-in tool schemas, `auto` as without two-stage, and `required`).
 * Every timed request starts from an empty KV cache. 5 runs each; medians. Prints a table and writes
 * bench/results/embedded.json. Run: `sh scripts/with-node.sh node bench/embedded.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { selectCategorySchema } from "../src/engine/two-stage.ts";
import type { Message } from "../src/message/types.ts";
import { EmbeddedProvider, type EmbeddedRequestStats } from "../src/provider/local/embedded.ts";
import type { ProviderRequest, ToolSchema } from "../src/provider/types.ts";
import { builtinTools } from "../src/tool/builtin/index.ts";
import { toolSchema } from "../src/tool/schema.ts";
import { median, printTable } from "./stats.ts";

const RUNS = 5;
const root = fileURLToPath(new URL("..", import.meta.url));

function modelPath(): string {
  if (process.env.OWLET_TEST_MODEL) return process.env.OWLET_TEST_MODEL;
  const out = execFileSync("sh", ["scripts/fetch-test-model.sh"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const path = out.trim().split("\n").at(-1);
  if (!path) throw new Error("bench/embedded: scripts/fetch-test-model.sh printed no model path");
  return path;
}

/** A compact local-arm system prompt of realistic size. */
const SYSTEM =
  "You are owlet, a coding assistant working in the user's repository through tools. Read before you edit; " +
  "keep changes small; run the tests after a change; answer briefly and cite file paths.";
const userTurn = (text: string): Message[] => [{ role: "user", content: [{ type: "text", text }] }];

interface Timed {
  stats: EmbeddedRequestStats;
  firstEventMs: number;
}

async function timed(provider: EmbeddedProvider, request: ProviderRequest): Promise<Timed> {
  await provider.clearCache();
  const start = performance.now();
  let firstEventMs: number | undefined;
  for await (const event of provider.stream(request)) {
    if (firstEventMs === undefined && event.type !== "usage" && event.type !== "finish")
      firstEventMs = performance.now() - start;
  }
  const stats = provider.lastStats;
  if (!stats) throw new Error("bench/embedded: the provider recorded no stats");
  return { stats, firstEventMs: firstEventMs ?? stats.totalMs };
}

const path = modelPath();
const loadStart = performance.now();
const provider = await EmbeddedProvider.load({ modelPath: path });
const loadMs = performance.now() - loadStart;
const request = (over: Partial<ProviderRequest>): ProviderRequest => ({
  model: "",
  system: SYSTEM,
  messages: [],
  tools: [],
  ...over,
});

// Prompt speed: a ~600-token prompt, one output token.
const longText = Array.from(
  { length: 40 },
  (_, i) => `Line ${i + 1}: the function computeTotal adds the item prices and applies the discount.`,
).join("\n");
const promptRuns: Timed[] = [];
for (let i = 0; i < RUNS; i++)
  promptRuns.push(
    await timed(provider, request({ messages: userTurn(`${longText}\nSummarise.`), maxOutputTokens: 1 })),
  );
const promptTps = median(
  promptRuns.map((r) => r.stats.promptTokens / ((r.stats.timeToFirstChunkMs ?? r.stats.totalMs) / 1000)),
);

// Generation speed: 128 tokens of text after the first.
const genRuns: Timed[] = [];
for (let i = 0; i < RUNS; i++) {
  genRuns.push(
    await timed(
      provider,
      request({
        messages: userTurn("Write a long story about a robot who learns to program."),
        maxOutputTokens: 128,
      }),
    ),
  );
}
const genTps = median(
  genRuns.map(
    (r) => (r.stats.completionTokens - 1) / ((r.stats.totalMs - (r.stats.timeToFirstChunkMs ?? 0)) / 1000),
  ),
);

// Round 1: two-stage vs full catalogue.
const catalogue: ToolSchema[] = builtinTools().map((t) => toolSchema(t));
const prompts = [
  "Show me what src/index.ts contains.",
  "Find every TODO comment in the repository.",
  "Run the test suite with npm test.",
  "Create a file hello.py that prints hello.",
  "Where is the function computeTotal defined?",
];
const round1 = async (tools: ToolSchema[], toolChoice: "auto" | "required") => {
  const runs: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(
      await timed(
        provider,
        request({
          messages: userTurn(prompts[i % prompts.length] ?? ""),
          tools,
          toolChoice,
          maxOutputTokens: 64,
        }),
      ),
    );
  }
  return {
    promptTokens: median(runs.map((r) => r.stats.promptTokens)),
    ttftMs: median(runs.map((r) => r.stats.timeToFirstChunkMs ?? r.stats.totalMs)),
    firstEventMs: median(runs.map((r) => r.firstEventMs)),
    totalMs: median(runs.map((r) => r.stats.totalMs)),
  };
};
const twoStage = await round1([selectCategorySchema()], "required");
const fullAuto = await round1(catalogue, "auto");
const fullRequired = await round1(catalogue, "required");
await provider.dispose();

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const results = {
  model: path.split("/").at(-1),
  machine: {
    cpus: cpus().length,
    availableParallelism: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
  },
  runs: RUNS,
  loadMs: round(loadMs),
  contextWindow: provider.contextWindow,
  promptTokensPerSecond: round(promptTps, 1),
  promptTokensForSpeed: median(promptRuns.map((r) => r.stats.promptTokens)),
  generationTokensPerSecond: round(genTps, 1),
  round1: {
    twoStage: { tools: 1, toolChoice: "required", ...twoStage },
    fullCatalogueAuto: { tools: catalogue.length, toolChoice: "auto", ...fullAuto },
    fullCatalogueRequired: { tools: catalogue.length, toolChoice: "required", ...fullRequired },
    ttftRatioFullAutoOverTwoStage: round(fullAuto.ttftMs / twoStage.ttftMs, 2),
    ttftRatioFullRequiredOverTwoStage: round(fullRequired.ttftMs / twoStage.ttftMs, 2),
    promptTokensSaved: fullAuto.promptTokens - twoStage.promptTokens,
  },
};

printTable([
  ["measure", "value"],
  ["load (binding + model + context), ms", results.loadMs],
  [`prompt speed (${results.promptTokensForSpeed}-token prompt), tokens/s`, results.promptTokensPerSecond],
  ["generation speed, tokens/s", results.generationTokensPerSecond],
]);
console.log("");
printTable([
  [
    "round 1 (empty KV cache, medians of 5)",
    "tools",
    "prompt tokens",
    "TTFT ms",
    "first event ms",
    "total ms",
  ],
  [
    "two-stage: select_category, required",
    1,
    twoStage.promptTokens,
    round(twoStage.ttftMs),
    round(twoStage.firstEventMs),
    round(twoStage.totalMs),
  ],
  [
    "full catalogue, auto",
    catalogue.length,
    fullAuto.promptTokens,
    round(fullAuto.ttftMs),
    round(fullAuto.firstEventMs),
    round(fullAuto.totalMs),
  ],
  [
    "full catalogue, required",
    catalogue.length,
    fullRequired.promptTokens,
    round(fullRequired.ttftMs),
    round(fullRequired.firstEventMs),
    round(fullRequired.totalMs),
  ],
]);
console.log(
  `\nTTFT ratio full/two-stage: ${results.round1.ttftRatioFullAutoOverTwoStage}x (auto), ` +
    `${results.round1.ttftRatioFullRequiredOverTwoStage}x (required); prompt tokens saved: ${results.round1.promptTokensSaved}`,
);
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL("results/embedded.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log("wrote bench/results/embedded.json");
process.exit(0);
