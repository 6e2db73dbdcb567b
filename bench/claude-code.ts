/**
 * owlet and Claude Code side by side (issue 10's yardstick): both run `-p "hi"` against the same scripted
 * Anthropic-wire server (test/support/anthropic-server.ts), interleaved (owlet, Claude Code, owlet, …), and the
 * time to first request (spawn → the server receives the first POST /v1/messages) and the wall time are compared
 * run by run; medians and the median of the paired ratios are reported.
 *
 * Claude Code is the npm package `@anthropic-ai/claude-code` (its native binary), installed by you, e.g.
 * `npm install --prefix /tmp/cc @anthropic-ai/claude-code@2.1.337`; point CLAUDE_CODE_BIN at the binary
 * (node_modules/@anthropic-ai/claude-code-linux-x64/claude). Without it this bench says so and exits 0.
 * `npm run bench -- claude-code`; OWLET_BENCH_RUNS (default 15). Writes bench/results/claude-code.json, which
 * bench/startup.ts uses as the yardstick instead of the issue's 550 ms.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAnthropicServer } from "../test/support/anthropic-server.ts";
import { fixtureRepo } from "../test/support/fixture-repo.ts";
import { median, printTable } from "./stats.ts";

const RUNS = Number(process.env.OWLET_BENCH_RUNS ?? 15);
const claudeBin = process.env.CLAUDE_CODE_BIN;
if (!claudeBin || !existsSync(claudeBin)) {
  console.log(
    "claude-code: set CLAUDE_CODE_BIN to Claude Code's binary to compare (see this file's comment); skipped",
  );
  process.exit(0);
}
const owletBin = fileURLToPath(new URL("../bin/owlet", import.meta.url));
const server = await startAnthropicServer("hi");
const repo = await fixtureRepo("repo-add");
const home = mkdtempSync(join(tmpdir(), "owlet-bench-cc-"));
const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  XDG_CONFIG_HOME: join(home, "config"),
  XDG_CACHE_HOME: join(home, "cache"),
  XDG_STATE_HOME: join(home, "state"),
  TERM: "dumb",
  ANTHROPIC_API_KEY: "sk-ant-bench-not-a-key",
  ANTHROPIC_BASE_URL: server.baseURL,
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_AUTOUPDATER: "1",
};

/** One run: ms from spawn to the first POST /v1/messages, and to exit. */
async function run(argv: string[]): Promise<{ ttfr: number; wall: number }> {
  const before = server.requests.length;
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: repo, env, stdio: ["ignore", "ignore", "ignore"] });
  await new Promise((r) => child.on("close", r));
  const wall = performance.now() - started;
  const first = server.requests.slice(before).find((r) => r.method === "POST" && r.path === "/v1/messages");
  if (!first) throw new Error(`${argv[0]} made no request`);
  return { ttfr: first.at - started, wall };
}

const owletArgv = [
  owletBin,
  "-p",
  "hi",
  "--provider",
  "anthropic",
  "--base-url",
  `${server.baseURL}/v1`,
  "--model",
  "claude-scripted",
];
const claudeArgv = [claudeBin, "-p", "hi"];
// Warm-up: page cache, owlet's compile cache, Claude Code's first-run files.
await run(owletArgv);
await run(claudeArgv);
const owlet: { ttfr: number; wall: number }[] = [];
const claude: { ttfr: number; wall: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  owlet.push(await run(owletArgv));
  claude.push(await run(claudeArgv));
}
await server.close();
const ratio = (k: "ttfr" | "wall") => median(owlet.map((o, i) => o[k] / claude[i]![k]));
const result = {
  runs: RUNS,
  owletTtfrMedianMs: median(owlet.map((r) => r.ttfr)),
  ttfrMedianMs: median(claude.map((r) => r.ttfr)),
  ttfrRatioMedian: ratio("ttfr"),
  owletWallMedianMs: median(owlet.map((r) => r.wall)),
  claudeWallMedianMs: median(claude.map((r) => r.wall)),
  wallRatioMedian: ratio("wall"),
};
console.log(
  `\nowlet vs Claude Code, -p "hi" against one scripted Anthropic-wire server (${RUNS} interleaved pairs)\n`,
);
printTable([
  ["figure", "owlet", "Claude Code", "owlet/CC (median of pairs)", "target"],
  [
    "time to first request, ms",
    result.owletTtfrMedianMs.toFixed(0),
    result.ttfrMedianMs.toFixed(0),
    result.ttfrRatioMedian.toFixed(2),
    "≤ 0.30",
  ],
  [
    "wall, ms",
    result.owletWallMedianMs.toFixed(0),
    result.claudeWallMedianMs.toFixed(0),
    result.wallRatioMedian.toFixed(2),
    "",
  ],
]);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/claude-code.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
