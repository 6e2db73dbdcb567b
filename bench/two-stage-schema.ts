/**
 * Schema tokens of a two-stage round 1 (only select_category) against the full tool catalogue — the seed's
 * point: a small model pays for every schema token on every request. Counts with the o200k/cl100k family
 * tokenizers, the chars/4 estimate, and SmolLM2's own tokenizer when OWLET_TEST_MODEL points at its GGUF.
 * Writes bench/results/two-stage-schema.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { estimateCounter, familyCounter, type TokenCounter } from "../src/context/tokens.ts";
import { selectCategorySchema } from "../src/engine/two-stage.ts";
import type { ToolSchema } from "../src/provider/types.ts";
import { builtinTools } from "../src/tool/builtin/index.ts";
import { toolSchema } from "../src/tool/schema.ts";
import { printTable } from "./stats.ts";

const tokens = (counter: TokenCounter, tools: ToolSchema[]) =>
  tools.reduce(
    (n, t) =>
      n +
      counter.count(
        JSON.stringify({
          type: "function",
          function: { name: t.name, description: t.description, parameters: t.inputSchema },
        }),
      ),
    0,
  );

const full = builtinTools().map(toolSchema);
const round1 = [selectCategorySchema()];
const counters: [string, TokenCounter][] = [
  ["o200k (gpt-4o family)", familyCounter("gpt-4o")],
  ["cl100k (gpt-4 family)", familyCounter("gpt-4")],
  ["estimate (chars/4)", estimateCounter],
];
if (process.env.OWLET_TEST_MODEL) {
  const { sharedModel } = await import("../src/provider/local/embedded-runtime.ts");
  const model = await sharedModel(process.env.OWLET_TEST_MODEL);
  counters.push([
    "SmolLM2-135M (own tokenizer)",
    { kind: "model", count: (t: string) => model.tokenize(t).length },
  ]);
}
const rows: (string | number)[][] = [
  ["tokenizer", "round 1 (select_category)", `full catalogue (${full.length} tools)`, "saved", "ratio"],
];
const results: Record<string, unknown>[] = [];
for (const [name, counter] of counters) {
  const r1 = tokens(counter, round1);
  const all = tokens(counter, full);
  rows.push([name, r1, all, all - r1, `${(all / r1).toFixed(1)}×`]);
  results.push({ tokenizer: name, round1Tokens: r1, fullCatalogueTokens: all, savedTokens: all - r1 });
}
console.log("\nTwo-stage tool routing: schema tokens per request\n");
printTable(rows);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/two-stage-schema.json", import.meta.url),
  `${JSON.stringify({ tools: full.map((t) => t.name), results }, null, 2)}\n`,
);
process.exit(0);
