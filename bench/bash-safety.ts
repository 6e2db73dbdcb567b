/**
 * Added cost of issue 9's safety layers per bash call (target ≤ 10 ms): the grammar-based command analysis (the
 * permission policy's check, which parses the command; the bash tool's interactive check reuses that parse) and
 * the bubblewrap sandbox (`bwrap … bash -c` instead of `bash -c`, mounts planned per call; the sandbox is started
 * ahead, during the pause a model's round gives between calls, simulated here by 150 ms). Medians over
 * interleaved runs, and minimums: on a loaded machine (these share 2 cores with model runs) the medians carry the
 * scheduler's delays, the minimums show the layers' own cost. Writes bench/results/bash-safety.json.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PermissionPolicy } from "../src/policy/permissions.ts";
import { bash } from "../src/tool/builtin/bash.ts";
import { probeSandbox } from "../src/tool/sandbox/probe.ts";
import { DEFAULT_SANDBOX_SETTINGS } from "../src/tool/sandbox/settings.ts";
import { loadBashGrammar } from "../src/tool/shell/grammar.ts";
import type { ToolContext } from "../src/tool/types.ts";
import { median, printTable } from "./stats.ts";

const COMMANDS = [
  "npm test",
  "git status && git diff --stat | tail -3",
  "cd src && grep -rn 'TODO' . | wc -l",
  'for f in *.ts; do echo "$f"; done > list.txt',
  "cat <<'EOF' > notes.md\n# Notes\n\nSome text with $(not run) and `quotes`.\nEOF",
];
const RUNS = 61;

const loadStart = performance.now();
await loadBashGrammar();
const grammarLoadMs = performance.now() - loadStart;

// 1. Analysis: the policy's decision for each command (a deny rule forces the full analysis), fresh commands
// each time (a trailing comment) so the per-command cache does not hide the parse.
const policy = new PermissionPolicy({
  mode: "auto",
  rules: [{ tool: "bash", pattern: "rm *", action: "deny" }],
});
const analysisMs: number[] = [];
for (let i = 0; i < RUNS + 5; i++) {
  const started = performance.now();
  for (const command of COMMANDS) {
    policy.check({
      tool: "bash",
      readOnly: false,
      destructive: true,
      category: "exec",
      args: { command: `${command} # ${i}` },
    });
  }
  if (i >= 5) analysisMs.push((performance.now() - started) / COMMANDS.length);
}

// 2. Sandbox: `true` through the bash tool, direct and sandboxed, interleaved, with a pause before each call as
// a model's round gives in use (the next sandbox is prepared during it; see spawn-plan.ts).
const pause = () => new Promise((resolve) => setTimeout(resolve, 150));
const ws = realpathSync(mkdtempSync(join(tmpdir(), "owlet-bench-")));
execFileSync("git", ["init", "-q"], { cwd: ws });
mkdirSync(join(ws, ".owlet")); // a project root, as owlet makes it (a workspace without one takes the slower path)
// a workspace without `.owlet/`: its stand-in mount point must not outlive a call, so no sandbox is started ahead
const coldWs = realpathSync(mkdtempSync(join(tmpdir(), "owlet-bench-cold-")));
execFileSync("git", ["init", "-q"], { cwd: coldWs });
const ctx = (sandboxed: boolean, root = ws): ToolContext => ({
  workspaceRoot: root,
  signal: new AbortController().signal,
  limits: { maxFileBytes: 1 << 20, bashTimeoutSec: 30, maxBashTimeoutSec: 600, maxOutputBytes: 65536 },
  ...(sandboxed ? { sandbox: DEFAULT_SANDBOX_SETTINGS } : {}),
});
const availability = await probeSandbox();
const direct: number[] = [];
const sandboxed: number[] = [];
const cold: number[] = [];
// two blocks, each interleaved with direct runs: one spare sandbox is kept, for the workspace last used
for (const arm of ["sandboxed", "cold"] as const) {
  if (!availability.ok) break;
  for (let i = 0; i < RUNS + 3; i++) {
    for (const boxed of [false, true]) {
      await pause();
      const started = performance.now();
      await bash.run({ command: "true" }, ctx(boxed, arm === "cold" ? coldWs : ws));
      if (i >= 3) (boxed ? (arm === "cold" ? cold : sandboxed) : direct).push(performance.now() - started);
    }
  }
}
if (!availability.ok) {
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await bash.run({ command: "true" }, ctx(false));
    direct.push(performance.now() - started);
  }
}
rmSync(ws, { recursive: true, force: true });
rmSync(coldWs, { recursive: true, force: true });

const analysis = median(analysisMs);
const sandboxAdded = availability.ok ? median(sandboxed) - median(direct) : Number.NaN;
const min = (values: number[]) => Math.min(...values);
const sandboxAddedMin = availability.ok ? min(sandboxed) - min(direct) : Number.NaN;
const total = analysis + (availability.ok ? sandboxAdded : 0);
const totalMin = min(analysisMs) + (availability.ok ? sandboxAddedMin : 0);
console.log(`\nBash safety layers: added cost per bash call (median of ${RUNS})\n`);
const na = (value: number, digits = 1) => (Number.isNaN(value) ? "n/a" : value.toFixed(digits));
printTable([
  ["part", "median ms", "min ms", "note"],
  ["grammar load (once)", grammarLoadMs.toFixed(1), "", "lazy: first bash call only"],
  [
    "analysis per command",
    analysis.toFixed(2),
    min(analysisMs).toFixed(2),
    `${COMMANDS.length} typical commands`,
  ],
  ["bash -c true, direct", median(direct).toFixed(1), min(direct).toFixed(1), ""],
  [
    "bash -c true, sandboxed",
    availability.ok ? median(sandboxed).toFixed(1) : "n/a",
    availability.ok ? min(sandboxed).toFixed(1) : "n/a",
    availability.ok ? "bwrap" : availability.reason,
  ],
  ["sandbox added", na(sandboxAdded), na(sandboxAddedMin), "prepared ahead (project root)"],
  [
    "sandbox added, cold",
    availability.ok ? (median(cold) - median(direct)).toFixed(1) : "n/a",
    availability.ok ? (min(cold) - min(direct)).toFixed(1) : "n/a",
    "workspace without .owlet/",
  ],
  ["total added", total.toFixed(1), na(totalMin), "target ≤ 10 ms"],
]);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/bash-safety.json", import.meta.url),
  `${JSON.stringify(
    {
      grammarLoadMs,
      analysisMedianMs: analysis,
      directMedianMs: median(direct),
      sandboxedMedianMs: availability.ok ? median(sandboxed) : null,
      sandboxAddedMs: availability.ok ? sandboxAdded : null,
      sandboxAddedMinMs: availability.ok ? sandboxAddedMin : null,
      coldSandboxAddedMs: availability.ok ? median(cold) - median(direct) : null,
      totalAddedMs: total,
      totalAddedMinMs: totalMin,
      sandbox: availability,
    },
    null,
    2,
  )}\n`,
);
