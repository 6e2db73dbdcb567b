/**
 * Text tool-call parse rate over the corpus (test/data/textcalls/corpus.json).
 *
 * Run: `sh scripts/with-node.sh node bench/textcalls.ts` (Node 24, type stripping).
 * For each format and overall (and for real reports vs synthetic cases): cases, expected calls, calls
 * found (right tool at the right position), exact-argument matches (deep-equal parsed arguments),
 * false positives (calls parsed beyond those expected; on negatives any call), cases fully right,
 * whether the stream parser (seeded random chunks) agreed with the whole-text parser, and parse time;
 * then the false-positive rate on the negatives, the families under 95%, and the median parse time of
 * 64 KiB responses (issue 14: ≤ 2 ms). Prints tables and writes bench/results/textcalls.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { parseToolCalls } from "../src/provider/textcalls/parse.ts";
import { TextToolCallStream } from "../src/provider/textcalls/stream-parser.ts";
import { mulberry32 as rng } from "../src/router/prng.ts";
import { median } from "./stats.ts";

interface CorpusCase {
  id: string;
  source: string;
  model: string;
  format: string;
  text: string;
  tools: string[];
  expected: { name: string; arguments: unknown }[];
  gap?: string;
  /** Collected after the parser was written: a held-out check of how it generalises. */
  heldOut?: boolean;
}

/** Call syntax that must not survive in the visible text once a case's calls are parsed. */
const CALL_SYNTAX = [
  "<tool_call>",
  "</tool_call>",
  "[TOOL_CALLS]",
  "<|python_tag|>",
  "<|python_start|>",
  "<function=",
  "</function>",
  "<parameter=",
  "<|tool_call>",
  "<|tool_call_start|>",
  "functools[",
  '"arguments"',
  '"parameters"',
];

/**
 * The held-out cases were measured once before the parser was changed for them; the figures above
 * are after the two fixes they prompted. Recorded here so the first-contact rate is not lost.
 */
const HELD_OUT_NOTE =
  "Issue 3: 5 real reports collected after the parser was written. First run, before any change: calls 4/5, exact args 4/5, clean text 3/5 (missed Phi-4-mini functools[...]; left an orphan </tool_call> after a naked <function=...>). Both were then fixed. Issue 14: 2 more (vllm-project/vllm#22975, pwilkin/llama.cpp#9, 5 calls) collected after the format work: right at first contact.";

interface Row {
  group: string;
  cases: number;
  expectedCalls: number;
  found: number;
  exactArgs: number;
  falsePositives: number;
  negatives: number;
  negativesWithCalls: number;
  casesRight: number;
  /** Cases with expected calls whose visible text is free of call syntax. */
  cleanText: number;
  casesWithCalls: number;
  streamAgree: number;
  parseMicros: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = JSON.parse(
  readFileSync(join(root, "test/data/textcalls/corpus.json"), "utf8"),
) as CorpusCase[];

function streamAgrees(c: CorpusCase, whole: ReturnType<typeof parseToolCalls>): boolean {
  for (const seed of [11, 12, 13]) {
    const next = rng(seed);
    const stream = new TextToolCallStream(c.tools);
    let text = "";
    const calls = [];
    for (let i = 0; i < c.text.length; ) {
      const size = 1 + Math.floor(next() * 16);
      const r = stream.push(c.text.slice(i, i + size));
      text += r.text;
      calls.push(...r.calls);
      i += size;
    }
    const last = stream.end();
    if (!isDeepStrictEqual({ text: text + last.text, calls: [...calls, ...last.calls] }, whole)) return false;
  }
  return true;
}

function emptyRow(group: string): Row {
  return {
    group,
    cases: 0,
    expectedCalls: 0,
    found: 0,
    exactArgs: 0,
    falsePositives: 0,
    negatives: 0,
    negativesWithCalls: 0,
    casesRight: 0,
    cleanText: 0,
    casesWithCalls: 0,
    streamAgree: 0,
    parseMicros: 0,
  };
}

const rows = new Map<string, Row>();
const perCase: {
  id: string;
  format: string;
  real: boolean;
  right: boolean;
  clean: boolean;
  found: number;
  expected: number;
}[] = [];
const add = (group: string, f: (row: Row) => void): void => {
  const row = rows.get(group) ?? emptyRow(group);
  f(row);
  rows.set(group, row);
};

for (const c of corpus) {
  const start = process.hrtime.bigint();
  const whole = parseToolCalls(c.text, c.tools);
  const micros = Number(process.hrtime.bigint() - start) / 1000;
  const got = whole.calls.map((call) => {
    let args: unknown;
    try {
      args = JSON.parse(call.arguments);
    } catch {
      args = call.arguments;
    }
    return { name: call.name, arguments: args };
  });
  let found = 0;
  let exact = 0;
  c.expected.forEach((want, i) => {
    const have = got[i];
    if (have?.name !== want.name) return;
    found++;
    if (isDeepStrictEqual(have.arguments, want.arguments)) exact++;
  });
  const extra = Math.max(0, got.length - c.expected.length);
  const right = isDeepStrictEqual(got, c.expected);
  // Reasoning (`<think>…</think>`) is kept verbatim, call syntax it quotes included.
  const outside = whole.text.replace(/<(seed:)?think>[\s\S]*?<\/(seed:)?think>/g, "");
  const clean = !CALL_SYNTAX.some((syntax) => outside.includes(syntax));
  const agree = streamAgrees(c, whole);
  const real = c.source !== "synthetic";
  perCase.push({ id: c.id, format: c.format, real, right, clean, found, expected: c.expected.length });
  const groups = [`format:${c.format}`, real ? "all real reports" : "all synthetic", "ALL"];
  if (c.heldOut) groups.push("held-out real reports");
  for (const group of groups) {
    add(group, (row) => {
      row.cases++;
      row.expectedCalls += c.expected.length;
      row.found += found;
      row.exactArgs += exact;
      row.falsePositives += extra;
      if (c.expected.length === 0) {
        row.negatives++;
        if (got.length > 0) row.negativesWithCalls++;
      }
      if (right) row.casesRight++;
      if (c.expected.length > 0) {
        row.casesWithCalls++;
        if (clean) row.cleanText++;
      }
      if (agree) row.streamAgree++;
      row.parseMicros += micros;
    });
  }
}

const pct = (n: number, d: number): string => (d === 0 ? "-" : `${((100 * n) / d).toFixed(1)}%`);
const ordered = [...rows.values()].sort((a, b) => {
  const rank = (r: Row) =>
    r.group === "ALL" ? 3 : r.group.startsWith("all ") ? 2 : r.group.startsWith("held") ? 1 : 0;
  return rank(a) - rank(b) || a.group.localeCompare(b.group);
});
const table = ordered.map((r) => ({
  group: r.group,
  cases: r.cases,
  "calls found/expected": `${r.found}/${r.expectedCalls}`,
  "found %": pct(r.found, r.expectedCalls),
  "exact args %": pct(r.exactArgs, r.expectedCalls),
  "false pos.": r.falsePositives,
  "negatives w/ calls": `${r.negativesWithCalls}/${r.negatives}`,
  "cases right": `${r.casesRight}/${r.cases}`,
  "clean text": `${r.cleanText}/${r.casesWithCalls}`,
  "stream agrees": `${r.streamAgree}/${r.cases}`,
  "µs/case": (r.parseMicros / r.cases).toFixed(0),
}));
console.log(
  `Text tool-call parse rate over ${corpus.length} corpus cases (${perCase.filter((c) => c.real).length} real reports)`,
);
console.table(table);
console.log(`Held-out: ${HELD_OUT_NOTE}`);
const misses = perCase.filter((c) => !c.right || (c.expected > 0 && !c.clean));
if (misses.length > 0) {
  const describe = (m: (typeof perCase)[number]): string =>
    `${m.id} (${m.found}/${m.expected}${m.clean || m.expected === 0 ? "" : ", call syntax left in text"})`;
  console.log(`Not fully right: ${misses.map(describe).join(", ")}`);
}

// False-positive rate: calls parsed on negatives (cases that expect none) per negative case.
const all = rows.get("ALL") ?? emptyRow("ALL");
const fpRate = all.negatives === 0 ? 0 : all.negativesWithCalls / all.negatives;
console.log(
  `False positives: ${all.negativesWithCalls}/${all.negatives} negative cases parsed a call (${(100 * fpRate).toFixed(1)}%); ${all.falsePositives} extra calls over all cases.`,
);
const families = ordered.filter((r) => r.group.startsWith("format:") && r.expectedCalls > 0);
const below = families.filter((r) => r.found / r.expectedCalls < 0.95);
console.log(
  `Families: ${families.length}, below 95% of calls found: ${below.length === 0 ? "none" : below.map((r) => r.group).join(", ")}`,
);

/**
 * Parse cost of a 64 KiB response (median of many runs, whole-text parser): prose with code fences and
 * JSON-ish text, then calls in several formats; a 64 KiB Hermes write call; a 64 KiB Qwen3-Coder call.
 */
function timing(): Record<string, Record<string, number>> {
  const tools = ["fs_read", "fs_write", "fs_edit", "bash", "fs_grep"];
  const para =
    'The parser reads {braces} and <tags> in prose, `code`, [links](x) and JSON like {"a": 1} without treating them as calls.\n' +
    '```ts\nconst x = { name: "bash", arguments: [1, 2, 3] };\nif (a < b && c > d) run(x);\n```\n\n';
  let prose = "";
  while (prose.length < 64 * 1024) prose += para;
  const calls =
    '<tool_call>{"name": "fs_read", "arguments": {"path": "src/a.ts"}}</tool_call>\n' +
    "<tool_call>\n<function=bash>\n<parameter=command>\nnpm test\n</parameter>\n</function>\n</tool_call>\n" +
    "[fs_grep(pattern='TODO', path='src')]\n";
  const mixed = prose.slice(0, 64 * 1024 - calls.length) + calls;
  const body = 'line of file content with \\"quotes\\" and {braces}\\n'.repeat(1400).slice(0, 64 * 1024);
  const hermes = `Writing.\n<tool_call>{"name": "fs_write", "arguments": {"path": "big.txt", "content": "${body}"}}</tool_call>`;
  const qwenBody = "line of file content with <angle> and {braces}\n".repeat(1500).slice(0, 64 * 1024);
  const qwen = `<tool_call>\n<function=fs_write>\n<parameter=path>\nbig.txt\n</parameter>\n<parameter=content>\n${qwenBody}\n</parameter>\n</function>\n</tool_call>`;
  const result: Record<string, Record<string, number>> = {};
  for (const [name, text] of [
    ["prose+calls 64 KiB", mixed],
    ["hermes call 64 KiB", hermes],
    ["qwen3-coder call 64 KiB", qwen],
  ] as const) {
    for (let i = 0; i < 20; i++) parseToolCalls(text, tools);
    const runs: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 200; i++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      parseToolCalls(text, tools);
      runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const med = (xs: number[]): number => Number(median(xs).toFixed(3));
    result[`${name} (${(text.length / 1024).toFixed(0)} KiB)`] = {
      "median ms (wall)": med(runs),
      "median ms (cpu)": med(cpu),
    };
  }
  return result;
}
const timings = timing();
console.log(
  "Parse time of a 64 KiB response, whole text, median of 200 runs (wall clock, and CPU time of the process, which is less disturbed by other load):",
);
console.table(timings);

const out = join(root, "bench/results/textcalls.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, corpusCases: corpus.length, heldOutNote: HELD_OUT_NOTE, falsePositiveRate: fpRate, timings, rows: ordered, cases: perCase }, null, 1)}\n`,
);
console.log(`Wrote ${out}`);
