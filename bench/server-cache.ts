/**
 * Prompt tokens evaluated per round on llama.cpp's server, without and with prompt-cache reuse (issue 16).
 * Starts the llama-server that scripts/build-llama-server.sh built (OWLET_LLAMA_SERVER, else the cache) with a
 * Qwen2.5-Coder GGUF (OWLET_BENCH_MODEL, else 1.5B, else 0.5B; see test/support/llama-server.ts) and runs the
 * same one-bug turn (two-stage on, temperature 0, seed 1, ≤ 10 rounds) twice, each on a fresh server: with
 * `cache_prompt: false`, then `cache_prompt: true`. Per round it prints the round kind, the completion cap, whether
 * the forced call was constrained, and the server's `timings` (prompt_n = prompt tokens evaluated, cache_n = taken
 * from the KV cache, predicted_n). Writes bench/results/server-cache.json.
 * Run: `sh scripts/with-node.sh node bench/server-cache.ts`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemPrompt } from "../src/context/system-prompt.ts";
import { Engine } from "../src/engine/engine.ts";
import { FixedRouting } from "../src/engine/fixed-routing.ts";
import type { ArmHandle } from "../src/engine/routing.ts";
import { ServerKindCache } from "../src/provider/local/server/kind.ts";
import { createLocalServerProvider, type LocalRoundReport } from "../src/provider/local/server/provider.ts";
import { withTextToolCalls } from "../src/provider/textcalls/text-tool-provider.ts";
import { builtinTools, DEFAULT_TOOL_LIMITS } from "../src/tool/builtin/index.ts";
import { ToolRegistry } from "../src/tool/registry.ts";
import { findLlamaServer, findQwenModel, startLlamaServer } from "../test/support/llama-server.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const binary = findLlamaServer();
if (!binary) throw new Error("no llama-server: run `sh scripts/build-llama-server.sh` first");
const model = process.env.OWLET_BENCH_MODEL ?? findQwenModel("1.5b") ?? findQwenModel("0.5b");
if (!model) throw new Error("no Qwen2.5-Coder GGUF: set OWLET_BENCH_MODEL");

const PROMPT = "The test in test_calc.py fails. Fix the bug in calc.py and run the test.";

function fixture(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "owlet-bench-cache-")));
  writeFileSync(
    join(dir, "calc.py"),
    "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n",
  );
  writeFileSync(
    join(dir, "test_calc.py"),
    "import unittest\n\nfrom calc import add, mul\n\n\nclass CalcTest(unittest.TestCase):\n" +
      "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n" +
      "    def test_mul(self):\n        self.assertEqual(mul(2, 3), 6)\n\n\nif __name__ == '__main__':\n    unittest.main()\n",
  );
  return dir;
}

interface Row {
  round: number;
  kind: string;
  cap: number;
  constrained: boolean;
  promptN?: number;
  cacheN?: number;
  predictedN?: number;
  cut?: string;
}

async function run(
  cachePrompt: boolean,
): Promise<{ rows: Row[]; status: string; seconds: number; testsPass: boolean }> {
  const server = await startLlamaServer({ binary: binary!, model: model!, ctx: 8192 });
  const workspace = fixture();
  const rows: Row[] = [];
  try {
    const provider = withTextToolCalls(
      createLocalServerProvider({
        name: "openai-compatible",
        baseURL: server.baseURL,
        kinds: new ServerKindCache(),
        settings: { cachePrompt },
        onRound: (r: LocalRoundReport) =>
          rows.push({
            round: rows.length + 1,
            kind: r.kind,
            cap: r.cap,
            constrained: r.constrained,
            ...(r.timings?.promptN !== undefined ? { promptN: r.timings.promptN } : {}),
            ...(r.timings?.cacheN !== undefined ? { cacheN: r.timings.cacheN } : {}),
            ...(r.timings?.predictedN !== undefined ? { predictedN: r.timings.predictedN } : {}),
            ...(r.cut ? { cut: r.cut.reason } : {}),
          }),
      }),
      { mode: "fallback" },
    );
    const arm: ArmHandle = { id: "llamacpp/qwen", provider, model: "qwen", local: true, contextWindow: 8192 };
    const tools = new ToolRegistry();
    for (const t of builtinTools()) tools.register(t);
    const engine = new Engine({
      routing: new FixedRouting(arm),
      tools,
      toolContext: { workspaceRoot: workspace, limits: DEFAULT_TOOL_LIMITS },
      systemPrompt: () => systemPrompt({ variant: "compact", cwd: workspace }),
      maxTurns: 10,
      temperature: 0,
      seed: 1,
    });
    const started = Date.now();
    const result = await engine.runTurn(PROMPT);
    const seconds = (Date.now() - started) / 1000;
    // Did the turn fix the bug? (a "success" with failing tests is a false success)
    const tests = spawnSync("python3", ["-m", "unittest", "-q", "test_calc"], {
      cwd: workspace,
      encoding: "utf8",
    });
    return { rows, status: result.status, seconds, testsPass: tests.status === 0 };
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

const results: Record<string, unknown> = { model, binary };
for (const cachePrompt of [false, true]) {
  const { rows, status, seconds, testsPass } = await run(cachePrompt);
  const total = rows.reduce((n, r) => n + (r.promptN ?? 0), 0);
  console.log(
    `\ncache_prompt=${cachePrompt}: turn ${status} in ${seconds.toFixed(1)} s, tests ${testsPass ? "pass" : "FAIL"}; prompt tokens evaluated: ${total}`,
  );
  console.log("round  kind    cap   constrained  prompt_n  cache_n  predicted_n  cut");
  for (const r of rows)
    console.log(
      `${String(r.round).padEnd(6)} ${r.kind.padEnd(7)} ${String(r.cap).padEnd(5)} ${String(r.constrained).padEnd(12)} ` +
        `${String(r.promptN ?? "-").padEnd(9)} ${String(r.cacheN ?? "-").padEnd(8)} ${String(r.predictedN ?? "-").padEnd(12)} ${r.cut ?? ""}`,
    );
  results[`cache_prompt_${cachePrompt}`] = {
    status,
    testsPass,
    seconds,
    promptTokensEvaluated: total,
    rounds: rows,
  };
}
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "server-cache.json"), `${JSON.stringify(results, null, 2)}\n`);
