/**
 * Classifier accuracy benchmark (`node bench/classifier.ts`, via scripts/with-node.sh): runs the labelled
 * prompts in test/data/router/prompts.jsonl (written for owlet, one `{prompt, task_type}` per line) through
 * - owlet's heuristic (src/router/classify/heuristic.ts),
 * - gnoma's first-match substring cascade, reimplemented from reference §2.2 (its keyword lists for
 *   refactor, planning and boilerplate are not in the reference; the obvious stems are used),
 * - and, when a model endpoint is given, the small-model classifier (src/router/classify/slm.ts):
 *   OWLET_CLASSIFIER_BASE_URL (an OpenAI-compatible /v1 URL, e.g. a local llama-server) and
 *   OWLET_CLASSIFIER_MODEL; or OWLET_TEST_MODEL (a .gguf path) run in-process by the embedded provider,
 *   which turns the forced tool's schema into a JSON grammar.
 *   OWLET_CLASSIFIER_TIMEOUT_MS (default 2000); OWLET_CLASSIFIER_EVERY=k runs every k-th prompt only.
 * Prints accuracy, per-type recall and the most common confusions; writes bench/results/classifier.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createProvider } from "../src/provider/factory.ts";
import { EmbeddedProvider } from "../src/provider/local/embedded.ts";
import { classifyHeuristic } from "../src/router/classify/heuristic.ts";
import { SlmClassifier } from "../src/router/classify/slm.ts";
import { TASK_TYPES, type TaskType } from "../src/router/task.ts";

const here = dirname(fileURLToPath(import.meta.url));
const rows: { prompt: string; task_type: TaskType }[] = readFileSync(
  join(here, "..", "test", "data", "router", "prompts.jsonl"),
  "utf8",
)
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l))
  // OWLET_CLASSIFIER_EVERY=k keeps every k-th prompt (a quicker, still balanced run for slow models)
  .filter((_: unknown, i: number) => i % Number(process.env.OWLET_CLASSIFIER_EVERY ?? 1) === 0);

/** gnoma's ClassifyTask cascade (reference §2.2): lower-cased substring match, first group wins. */
function gnomaCascade(prompt: string): TaskType {
  const p = prompt.toLowerCase();
  const any = (words: string[]) => words.some((w) => p.includes(w));
  if (any(["security", "vulnerability", "cve", "owasp", "xss", "injection"])) return "security_review";
  if (any(["debug", "fix", "troubleshoot", "not working", "error", "crash", "failing", "bug"]))
    return "debug";
  if (any(["review", "check", "analyze", "audit", "inspect"])) return "review";
  if (any(["refactor", "restructure", "clean up", "rename", "extract", "simplify"])) return "refactor";
  if (any(["test", "spec", "coverage", "assert"])) return "unit_test";
  if (any(["explain", "what is", "how does", "describe", "tell me about"])) return "explain";
  if (any(["plan", "design", "architect", "roadmap", "strategy"])) return "planning";
  if (
    any([
      "orchestrat",
      "coordinate",
      "dispatch",
      "pipeline",
      "fan out",
      "subtask",
      "delegate to",
      "spawn elf",
    ])
  )
    return "orchestration";
  if (any(["create", "implement", "build", "add", "write", "generate", "make"])) return "generation";
  if (any(["boilerplate", "scaffold", "template", "stub"])) return "boilerplate";
  return "generation";
}

interface Score {
  name: string;
  accuracy: number;
  /** Accuracy on the even lines (the dev half, looked at while tuning the heuristic). */
  devAccuracy: number;
  /** Accuracy on the odd lines (held out: never inspected while tuning). */
  heldOutAccuracy: number;
  recall: Record<string, number>;
  confusions: [string, number][];
  msPerPrompt: number;
  sources?: Record<string, number>;
}

function score(name: string, predictions: TaskType[], ms: number, sources?: Record<string, number>): Score {
  const correct = predictions.filter((p, i) => p === rows[i]!.task_type).length;
  const recall: Record<string, number> = {};
  for (const t of TASK_TYPES) {
    const idx = rows.map((r, i) => (r.task_type === t ? i : -1)).filter((i) => i >= 0);
    recall[t] = idx.filter((i) => predictions[i] === t).length / Math.max(1, idx.length);
  }
  const conf = new Map<string, number>();
  predictions.forEach((p, i) => {
    if (p !== rows[i]!.task_type) {
      const k = `${rows[i]!.task_type} → ${p}`;
      conf.set(k, (conf.get(k) ?? 0) + 1);
    }
  });
  const confusions = [...conf.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
  const half = (parity: number) => {
    const idx = rows.map((_, i) => i).filter((i) => i % 2 === parity);
    return idx.filter((i) => predictions[i] === rows[i]!.task_type).length / idx.length;
  };
  return {
    name,
    accuracy: correct / rows.length,
    devAccuracy: half(0),
    heldOutAccuracy: half(1),
    recall,
    confusions,
    msPerPrompt: ms / rows.length,
    ...(sources ? { sources } : {}),
  };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const x = f();
  return [x, performance.now() - t0];
}

const results: Score[] = [];
{
  const [preds, ms] = timed(() => rows.map((r) => classifyHeuristic(r.prompt).type));
  results.push(score("owlet heuristic", preds, ms));
}
{
  const [preds, ms] = timed(() => rows.map((r) => gnomaCascade(r.prompt)));
  results.push(score("gnoma cascade (reimpl.)", preds, ms));
}
const baseURL = process.env.OWLET_CLASSIFIER_BASE_URL;
const gguf = process.env.OWLET_TEST_MODEL;
const model = process.env.OWLET_CLASSIFIER_MODEL ?? (gguf ? (gguf.split("/").pop() ?? "gguf") : undefined);
if ((baseURL || gguf) && model) {
  const slm = new SlmClassifier({
    provider: baseURL
      ? createProvider({ name: "openai-compatible", baseURL })
      : await EmbeddedProvider.load({ modelPath: gguf!, contextSize: 2048 }),
    model,
    timeoutMs: Number(process.env.OWLET_CLASSIFIER_TIMEOUT_MS ?? 2000),
  });
  const preds: TaskType[] = [];
  const sources: Record<string, number> = {};
  const t0 = performance.now();
  for (const r of rows) {
    const t = await slm.classify(r.prompt);
    preds.push(t.type);
    sources[t.source] = (sources[t.source] ?? 0) + 1;
  }
  results.push(score(`slm ${model}`, preds, performance.now() - t0, sources));
} else {
  console.log(
    "(small-model classifier skipped: set OWLET_TEST_MODEL=<file.gguf>, or OWLET_CLASSIFIER_BASE_URL and OWLET_CLASSIFIER_MODEL, to include it)\n",
  );
}

console.log(`classifier accuracy on ${rows.length} labelled prompts (test/data/router/prompts.jsonl)\n`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(
  `${"classifier".padEnd(26)}${"all".padStart(7)}${"dev".padStart(7)}${"held-out".padStart(9)}${"ms/prompt".padStart(11)}  ${TASK_TYPES.map((t) => t.slice(0, 5).padStart(6)).join("")}`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(26)}${pct(r.accuracy).padStart(7)}${pct(r.devAccuracy).padStart(7)}${pct(r.heldOutAccuracy).padStart(9)}${r.msPerPrompt.toFixed(3).padStart(11)}  ${TASK_TYPES.map((t) => (r.recall[t]! * 100).toFixed(0).padStart(6)).join("")}`,
  );
}
console.log(
  "\n(dev = even lines, inspected while tuning the heuristic; held-out = odd lines, never inspected; per-type columns: recall % over all)\n",
);
for (const r of results)
  console.log(`${r.name} top confusions: ${r.confusions.map(([k, n]) => `${k} ×${n}`).join(", ")}`);
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(
  join(here, "results", "classifier.json"),
  `${JSON.stringify({ prompts: rows.length, results }, null, 1)}\n`,
);
console.log("\nwrote bench/results/classifier.json");
process.exit(0); // an in-process model keeps the event loop alive
