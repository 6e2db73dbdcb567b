/**
 * Cold start of `owlet --version` (issue 2 target: median under 150 ms): runs bin/owlet 21 times after two
 * warm-ups and reports the median and spread. Writes bench/results/cold-start.json.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median, printTable } from "./stats.ts";

const bin = fileURLToPath(new URL("../bin/owlet", import.meta.url));
const runs: number[] = [];
for (let i = 0; i < 23; i++) {
  const t0 = performance.now();
  execFileSync(bin, ["--version"], { stdio: "pipe" });
  if (i >= 2) runs.push(performance.now() - t0);
}
const sorted = [...runs].sort((a, b) => a - b);
const med = median(runs);
console.log("\nCold start: owlet --version (21 runs)\n");
printTable([
  ["median ms", "min ms", "max ms", "target"],
  [med.toFixed(1), sorted[0]!.toFixed(1), sorted.at(-1)!.toFixed(1), "< 150 ms median"],
]);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/cold-start.json", import.meta.url),
  `${JSON.stringify({ runsMs: runs, medianMs: med }, null, 2)}\n`,
);
