/**
 * Start-up and overhead of owlet, as a user meets them (issue 10): bin/owlet as a child process against the
 * scripted OpenAI-wire server (test/support/scripted-server.ts), every figure a median over interleaved runs.
 *
 * - print mode: time to first request (spawn → the server receives the first chat request), the gap between
 *   requests of a read round (fs_read) and of a shell round (bash, sandboxed), peak RSS (/usr/bin/time), 3-round wall;
 * - the interactive UI under a pseudo-terminal (`script`): first frame (spawn → the status line is drawn), and the
 *   keystroke echo while an answer streams (a key written → the prompt line shows it).
 *
 * Targets: first frame ≤ 250 ms, echo ≤ 16 ms, time to first request ≤ 0.30 × Claude Code's (its 550 ms
 * measured in the issue, unless bench/claude-code.ts measured it here), gaps ≤ 20 / 40 ms, peak RSS ≤ 100 MiB.
 * `npm run bench -- startup`; OWLET_BENCH_RUNS (default 15) runs each. Writes bench/results/startup.json.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixtureRepo } from "../test/support/fixture-repo.ts";
import { isolatedEnv } from "../test/support/run-owlet.ts";
import {
  type RecordedRequest,
  type ScriptedReply,
  startScriptedServer,
} from "../test/support/scripted-server.ts";
import { median, printTable } from "./stats.ts";

const RUNS = Number(process.env.OWLET_BENCH_RUNS ?? 15);
const bin = fileURLToPath(new URL("../bin/owlet", import.meta.url));
/** Claude Code's time to first request, ms, as the issue measured it (2.1.330, interleaved, 30 runs). */
const CLAUDE_CODE_TTFR_MS = 550;

/** When each chat request arrived, ms (performance.now of this process). */
let arrivals: number[] = [];

function lastUser(req: RecordedRequest): string {
  const users = (req.body?.messages ?? []).filter((m: any) => m.role === "user");
  const c = users.at(-1)?.content;
  return typeof c === "string" ? c : JSON.stringify(c ?? "");
}

/** Three rounds for "three rounds" (fs_read, then bash, then the answer); a slow stream for "stream"; else text. */
function script(req: RecordedRequest): ScriptedReply {
  arrivals.push(performance.now());
  const messages = req.body?.messages ?? [];
  const tools = messages.filter((m: any) => m.role === "tool").length;
  const prompt = lastUser(req);
  if (prompt.includes("three rounds")) {
    if (tools === 0)
      return { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "math.js" }) }] };
    if (tools === 1) return { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "ls" }) }] };
    return { text: "done" };
  }
  if (prompt.includes("stream"))
    return { text: Array.from({ length: 2000 }, (_, i) => `w${i} `), chunkDelayMs: 5 };
  return { text: "hi" };
}

const server = await startScriptedServer(script);
const repo = await fixtureRepo("repo-add");
const home = mkdtempSync(join(tmpdir(), "owlet-bench-home-"));
const env = isolatedEnv(home, { TERM: "xterm-256color" });
const armFlags = [
  "--provider",
  "openai-compatible",
  "--base-url",
  server.baseURL,
  "--model",
  "scripted-model",
];

/** One print-mode run of the three-round prompt: time to first request, the two gaps, wall, peak RSS (KiB). */
async function printRun(): Promise<{
  ttfr: number;
  readGap: number;
  shellGap: number;
  wall: number;
  rssKiB: number;
  cpuMs: number;
}> {
  arrivals = [];
  const rssFile = join(home, "rss.txt");
  const started = performance.now();
  const child = spawn(
    "/usr/bin/time",
    [
      "-f",
      "%M %U %S",
      "-o",
      rssFile,
      bin,
      "-p",
      "three rounds",
      ...armFlags,
      "--permission-mode",
      "bypass",
      "--no-two-stage",
    ],
    { cwd: repo, env, stdio: ["ignore", "ignore", "ignore"] },
  );
  await new Promise((r) => child.on("close", r));
  const wall = performance.now() - started;
  if (arrivals.length < 3) throw new Error(`print mode made ${arrivals.length} requests, expected 3`);
  const [rss, user, sys] = readFileSync(rssFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return {
    ttfr: arrivals[0]! - started,
    readGap: arrivals[1]! - arrivals[0]!,
    shellGap: arrivals[2]! - arrivals[1]!,
    wall,
    rssKiB: rss!,
    cpuMs: (user! + sys!) * 1000,
  };
}

/** The interactive UI under `script` (a pty): ms to the first frame, and echo latencies while text streams. */
async function tuiRun(keys: number): Promise<{ firstFrame: number; echoes: number[] }> {
  const started = performance.now();
  const child = spawn(
    "script",
    ["-qfec", [bin, ...armFlags, "--no-two-stage"].map(shellQuote).join(" "), "/dev/null"],
    {
      cwd: repo,
      env: { ...env, COLUMNS: "100", LINES: "40" },
      stdio: ["pipe", "pipe", "ignore"],
    },
  );
  let screen = "";
  let firstFrame = -1;
  const waiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    screen += stripAnsi(d.toString("utf8"));
    if (firstFrame < 0 && screen.includes("⏵")) firstFrame = performance.now() - started;
    for (const w of waiters.splice(0)) {
      if (w.test(screen)) w.resolve();
      else waiters.push(w);
    }
  });
  const waitFor = (test: (s: string) => boolean, timeoutMs = 15_000) =>
    new Promise<void>((resolve, reject) => {
      if (test(screen)) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`bench: timed out; screen tail:\n${screen.slice(-800)}`)),
        timeoutMs,
      );
      waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  await waitFor((s) => s.includes("⏵ auto · openai-compatible"));
  const echoes: number[] = [];
  if (keys > 0) {
    child.stdin!.write("stream please\r");
    await waitFor((s) => s.includes("w50 "));
    let typed = "";
    for (let i = 0; i < keys; i++) {
      const ch = "abcdefghijklmnopqrstuvwxyz"[i % 26]!;
      typed += ch;
      const mark = screen.length;
      const t0 = performance.now();
      child.stdin!.write(ch);
      await waitFor((s) => s.slice(mark).includes(typed.slice(-Math.min(typed.length, 6))));
      echoes.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 37));
    }
  }
  child.stdin!.write("\x03\x03");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await new Promise((r) => child.on("close", r));
  clearTimeout(killer);
  return { firstFrame, echoes };
}

function shellQuote(s: string): string {
  return /^[\w./:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]/g, "");
}

if (!existsSync(join(fileURLToPath(new URL("..", import.meta.url)), "dist/cli/main.js"))) {
  console.error("bench: dist/ is not built; run npm run build");
  process.exit(2);
}
const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

// Warm-up: the first runs fill the compile cache and the OS page cache.
await printRun();
if (hasScript) await tuiRun(0);

const print: Awaited<ReturnType<typeof printRun>>[] = [];
const frames: number[] = [];
const echoes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  print.push(await printRun());
  if (hasScript) {
    const t = await tuiRun(i < 3 ? 20 : 0);
    frames.push(t.firstFrame);
    echoes.push(...t.echoes);
  }
}
await server.close();

const med = (xs: number[]) => (xs.length ? median(xs) : Number.NaN);
const p90 = (xs: number[]) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]! : Number.NaN;
const ccFile = new URL("./results/claude-code.json", import.meta.url);
const claude = existsSync(ccFile)
  ? (JSON.parse(readFileSync(ccFile, "utf8")) as { ttfrMedianMs: number }).ttfrMedianMs
  : CLAUDE_CODE_TTFR_MS;
const result = {
  runs: RUNS,
  loadAverage: (await import("node:os")).loadavg()[0],
  printMode: {
    timeToFirstRequestMs: med(print.map((p) => p.ttfr)),
    readRoundGapMs: med(print.map((p) => p.readGap)),
    shellRoundGapMs: med(print.map((p) => p.shellGap)),
    threeRoundWallMs: med(print.map((p) => p.wall)),
    threeRoundCpuMs: med(print.map((p) => p.cpuMs)),
    peakRssMiB: med(print.map((p) => p.rssKiB / 1024)),
    claudeCodeTtfrMs: claude,
    claudeCodeSource: existsSync(ccFile) ? "bench/results/claude-code.json" : "issue 10 (550 ms)",
  },
  tui: {
    firstFrameMs: med(frames),
    keystrokeEchoMedianMs: med(echoes),
    keystrokeEchoP90Ms: p90(echoes),
    keys: echoes.length,
  },
};
const f = (n: number) => (Number.isNaN(n) ? "n/a" : n.toFixed(1));
const load = (await import("node:os")).loadavg()[0]!;
console.log(
  `\nStart-up and overhead (medians of ${RUNS} runs; load average ${load.toFixed(1)}: wall times grow with it)\n`,
);
printTable([
  ["figure", "owlet", "target"],
  [
    "print: time to first request, ms",
    f(result.printMode.timeToFirstRequestMs),
    `≤ ${(0.3 * claude).toFixed(0)} (0.30 × ${claude.toFixed(0)})`,
  ],
  ["  ratio to Claude Code", (result.printMode.timeToFirstRequestMs / claude).toFixed(2), "≤ 0.30"],
  ["print: read-round gap, ms", f(result.printMode.readRoundGapMs), "≤ 20"],
  ["print: shell-round gap, ms", f(result.printMode.shellRoundGapMs), "≤ 40"],
  ["print: 3-round wall, ms", f(result.printMode.threeRoundWallMs), ""],
  ["print: 3-round CPU (user+sys), ms", f(result.printMode.threeRoundCpuMs), ""],
  ["print: peak RSS, MiB", f(result.printMode.peakRssMiB), "≤ 100"],
  ["tui: first frame, ms", f(result.tui.firstFrameMs), "≤ 250"],
  ["tui: keystroke echo while streaming, median ms", f(result.tui.keystrokeEchoMedianMs), "≤ 16"],
  ["tui: keystroke echo, p90 ms", f(result.tui.keystrokeEchoP90Ms), ""],
]);
if (!hasScript) console.log("\n(`script` from util-linux is missing: the TUI figures were not measured)");
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/startup.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
