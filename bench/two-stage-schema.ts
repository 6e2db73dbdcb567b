/**
 * Schema tokens of a two-stage round 1 (only select_category) against the full tool catalogue — the seed's
 * point: a small model pays for every schema token on every request. Counts with the o200k/cl100k family
 * tokenizers, the chars/4 estimate, and SmolLM2's own tokenizer when OWLET_TEST_MODEL points at its GGUF.
 * Also: tokens per request by part (system, tools, history) for a cloud-style request against owlet's
 * local-arm request. Writes bench/results/two-stage-schema.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { compactPreviousToolResults } from "../src/context/compact-results.ts";
import { measureRequest } from "../src/context/measure.ts";
import { systemPrompt } from "../src/context/system-prompt.ts";
import { estimateCounter, familyCounter, type TokenCounter } from "../src/context/tokens.ts";
import { selectCategorySchema } from "../src/engine/two-stage.ts";
import { toolResultsMessage, userText } from "../src/message/build.ts";
import type { Message } from "../src/message/types.ts";
import type { ProviderRequest, ToolSchema } from "../src/provider/types.ts";
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

const full = builtinTools().map((t) => toolSchema(t));
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

// Tokens per request by part (system, tools, history) for round 4 of a fix-the-bug turn: the user prompt, a grep,
// a read and an edit with their results. A cloud-style request (full system prompt, all tools, full history)
// against owlet's local-arm request (compact system prompt, one category's tools plus select_category, older
// results compacted to one-line markers).
const readResult = Array.from(
  { length: 40 },
  (_, i) => `${String(i + 1).padStart(6)}\texport function f${i}(a, b) { return a + b * ${i}; }`,
).join("\n");
const call = (id: string, name: string, args: unknown): Message => ({
  role: "assistant",
  content: [{ type: "tool_call", id, name, arguments: JSON.stringify(args) }],
});
const result = (id: string, name: string, content: string): Message =>
  toolResultsMessage([{ type: "tool_result", toolCallId: id, toolName: name, content, isError: false }]);
const history: Message[] = [
  userText("fix the add function in math.js"),
  call("c1", "fs_grep", { pattern: "function add" }),
  result("c1", "fs_grep", "math.js:2:export function add(a, b) {\ntest.js:4:assert.equal(add(2, 3), 5);"),
  call("c2", "fs_read", { path: "math.js" }),
  result("c2", "fs_read", readResult),
  call("c3", "fs_edit", { path: "math.js", old_string: "a - b", new_string: "a + b" }),
  result("c3", "fs_edit", "Replaced 1 occurrence in math.js"),
];
const cloud: ProviderRequest = {
  model: "m",
  system: systemPrompt({ variant: "full", cwd: "/home/user/project" }),
  messages: history,
  tools: full,
};
const local: ProviderRequest = {
  model: "m",
  system: systemPrompt({ variant: "compact", cwd: "/home/user/project" }),
  messages: compactPreviousToolResults(history),
  tools: [
    ...builtinTools()
      .filter((t) => t.category === "exec")
      .map((t) => toolSchema(t)),
    selectCategorySchema(),
  ],
};
const partRows: (string | number)[][] = [["tokenizer", "request", "system", "tools", "history", "total"]];
const parts: Record<string, unknown>[] = [];
for (const [name, counter] of counters) {
  for (const [label, req] of [
    ["full (cloud-style)", cloud],
    ["owlet local arm", local],
  ] as const) {
    const p = measureRequest(req, counter);
    partRows.push([name, label, p.system, p.tools, p.history, p.total]);
    parts.push({ tokenizer: name, request: label, ...p });
  }
}
console.log("\nTokens per request by part (round 4 of a fix-the-bug turn)\n");
printTable(partRows);

mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/two-stage-schema.json", import.meta.url),
  `${JSON.stringify({ tools: full.map((t) => t.name), results, requestParts: parts }, null, 2)}\n`,
);
process.exit(0);
