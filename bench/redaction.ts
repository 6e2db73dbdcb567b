/**
 * Cost of secret redaction per 64 KiB tool result (issue 9's budget: ≤ 5 ms).
 *
 * Run: `sh scripts/with-node.sh node bench/redaction.ts`. Four 64 KiB inputs: ordinary code with a few secrets
 * (the usual case), code with none, a `.env`-style dump where every line is a candidate (the scan cannot skip
 * anything), and one base64 blob (a single 64 KiB token). Each is redacted 20 times after 5 warm-up runs; the table
 * shows the median and p95 in ms and the redactions found. Writes bench/results/redaction.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { redactSecrets } from "../src/tool/secrets/redact.ts";
import { median, printTable } from "./stats.ts";

const SIZE = 64 * 1024;
const RUNS = 20;

function fill(line: (i: number) => string): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < SIZE; i++) {
    const l = line(i);
    lines.push(l);
    size += l.length + 1;
  }
  return lines.join("\n").slice(0, SIZE);
}

const code = (i: number) => `  const value${i} = computeSomething(input.items[${i}], options); // step ${i}`;
const withSecrets = fill((i) =>
  i === 300
    ? 'const token = "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";'
    : i === 600
      ? "AWS_SECRET_ACCESS_KEY=Zk3pQ9rTxw8vYbN2mLcD4fGhJ5kR7sT1uV0wXyZa"
      : code(i),
);
const inputs: Record<string, string> = {
  "code with 2 secrets": withSecrets,
  "code, no secrets": fill(code),
  "env dump (all candidates)": fill(
    (i) => `SERVICE_${i}_API_TOKEN=${(i * 2654435761).toString(36)}abcdEFGH${i}`,
  ),
  "base64 blob": "QUJD".repeat(SIZE / 4),
};

const rows: (string | number)[][] = [["input", "median ms", "p95 ms", "redactions"]];
const results: Record<string, { medianMs: number; p95Ms: number; redactions: number }> = {};
for (const [name, text] of Object.entries(inputs)) {
  for (let i = 0; i < 5; i++) await redactSecrets(text);
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    count = (await redactSecrets(text)).count;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const p95 = times[Math.floor(times.length * 0.95) - 1]!;
  results[name] = { medianMs: median(times), p95Ms: p95, redactions: count };
  rows.push([name, median(times).toFixed(2), p95.toFixed(2), count]);
}
printTable(rows);
const out = join(dirname(fileURLToPath(import.meta.url)), "results", "redaction.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ bytes: SIZE, runs: RUNS, results }, null, 2)}\n`);
