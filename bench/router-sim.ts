/**
 * Router simulation benchmark (`npm run bench:router`): five simulated arms with known success
 * probabilities per task type, prices and speeds, two of which drift half-way; 5,000 simulated tasks per
 * seed. Compares owlet's router (discounted Thompson sampling, the real `Router` class) with gnoma's
 * fixed-tier rule (reimplemented from reference §2.3), "always the strongest" and "always the cheapest".
 *
 * Metrics (medians over seeds):
 * - regret: Σ over tasks of u(best feasible arm) − u(chosen arm), u = value × p(success) / effectiveCost
 *   (the router's declared objective, cost.ts, evaluated with the TRUE probabilities and expected costs);
 * - quality gap: Σ p(most successful feasible arm) − p(chosen), the objective-free view;
 * - success rate, USD per success, mean turn seconds.
 * Writes bench/results/router-sim.json and bench/results/router-regret.svg; also times `selectForTurn`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ArmHandle } from "../src/engine/routing.ts";
import type { Provider } from "../src/provider/types.ts";
import { type Arm, type ArmSpec, handleFor, requestCostUSD } from "../src/router/arm.ts";
import { FLOOR } from "../src/router/classify/heuristic.ts";
import { effectiveCost } from "../src/router/cost.ts";
import { mulberry32, type Random } from "../src/router/prng.ts";
import { Router } from "../src/router/router.ts";
import {
  type Classifier,
  type Priority,
  TASK_TYPES,
  type Task,
  type TaskType,
  taskValue,
} from "../src/router/task.ts";

const TASKS = Number(process.env.ROUTER_SIM_TASKS ?? 5000);
const SEEDS = [1, 2, 3, 4, 5];
const DRIFT_AT = Math.floor(TASKS / 2);
const CHECKPOINT = 50;
const REFERENCE_USD = process.env.ROUTER_SIM_REFERENCE_USD
  ? Number(process.env.ROUTER_SIM_REFERENCE_USD)
  : undefined;
const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- the simulated world

/** A simulated arm: spec + true success probabilities (before/after drift) + speed. */
interface SimArm {
  spec: ArmSpec;
  p: Record<TaskType, number>;
  drift?: Partial<Record<TaskType, number>>;
  ttftMs: number;
  tokPerSec: number;
  /** Output verbosity relative to the task's nominal completion size. */
  verbosity: number;
}

const P = (v: number[]): Record<TaskType, number> =>
  Object.fromEntries(TASK_TYPES.map((t, i) => [t, v[i]!])) as Record<TaskType, number>;
// Order of probabilities: boilerplate generation refactor review unit_test planning orchestration security_review debug explain
const WORLD: SimArm[] = [
  {
    spec: {
      id: "embedded/coder-1.5b",
      provider: "embedded",
      model: "coder-1.5b",
      local: true,
      toolUse: true,
      contextWindow: 16_384,
      maxComplexity: 0.3,
      strengths: ["boilerplate", "explain"],
      costWeight: 1,
    },
    p: P([0.75, 0.45, 0.3, 0.3, 0.35, 0.2, 0.1, 0.1, 0.2, 0.7]),
    ttftMs: 300,
    tokPerSec: 45,
    verbosity: 0.8,
  },
  {
    spec: {
      id: "llamacpp/coder-14b",
      provider: "llamacpp",
      model: "coder-14b",
      local: true,
      toolUse: true,
      contextWindow: 32_768,
      strengths: [],
      costWeight: 1,
    },
    p: P([0.85, 0.65, 0.55, 0.5, 0.6, 0.35, 0.25, 0.3, 0.45, 0.8]),
    // the user swaps in a stronger local model behind the same id
    drift: { generation: 0.85, unit_test: 0.82, debug: 0.75, refactor: 0.78 },
    ttftMs: 900,
    tokPerSec: 22,
    verbosity: 1,
  },
  {
    spec: {
      id: "openai/mini",
      provider: "openai",
      model: "mini",
      local: false,
      toolUse: true,
      contextWindow: 1_000_000,
      priceInputPerMTok: 0.4,
      priceOutputPerMTok: 1.6,
      strengths: [],
      costWeight: 1,
    },
    p: P([0.9, 0.8, 0.75, 0.75, 0.8, 0.6, 0.55, 0.55, 0.7, 0.9]),
    // the provider quietly serves a weaker model
    drift: { refactor: 0.45, debug: 0.4, review: 0.45, generation: 0.6 },
    ttftMs: 450,
    tokPerSec: 90,
    verbosity: 1,
  },
  {
    spec: {
      id: "anthropic/sonnet",
      provider: "anthropic",
      model: "sonnet",
      local: false,
      toolUse: true,
      reasoning: true,
      contextWindow: 200_000,
      priceInputPerMTok: 3,
      priceOutputPerMTok: 15,
      strengths: ["refactor", "review"],
      costWeight: 1,
    },
    p: P([0.95, 0.9, 0.9, 0.88, 0.9, 0.85, 0.85, 0.85, 0.88, 0.95]),
    ttftMs: 800,
    tokPerSec: 70,
    verbosity: 1.1,
  },
  {
    spec: {
      id: "anthropic/opus",
      provider: "anthropic",
      model: "opus",
      local: false,
      toolUse: true,
      reasoning: true,
      contextWindow: 200_000,
      priceInputPerMTok: 15,
      priceOutputPerMTok: 75,
      strengths: ["security_review", "planning"],
      costWeight: 1,
    },
    p: P([0.96, 0.93, 0.92, 0.92, 0.92, 0.9, 0.9, 0.92, 0.92, 0.96]),
    ttftMs: 1500,
    tokPerSec: 40,
    verbosity: 1.2,
  },
];

const TYPE_WEIGHTS: Record<TaskType, number> = {
  boilerplate: 8,
  generation: 15,
  refactor: 10,
  review: 8,
  unit_test: 10,
  planning: 7,
  orchestration: 6,
  security_review: 6,
  debug: 17,
  explain: 13,
};

/** One simulated task: what the classifier reports plus the size of the work. */
interface SimTask extends Task {
  promptTokens: number;
  /** Nominal completion tokens per round. */
  outTokens: number;
  rounds: number;
}

function drawTask(rand: Random): SimTask {
  const total = Object.values(TYPE_WEIGHTS).reduce((a, b) => a + b, 0);
  let x = rand() * total;
  let type: TaskType = "generation";
  for (const t of TASK_TYPES) {
    x -= TYPE_WEIGHTS[t];
    if (x <= 0) {
      type = t;
      break;
    }
  }
  const complexity = Math.min(1, (FLOOR[type] ?? 0.05) + rand() * 0.55);
  const requiresTools = !(type === "explain" && rand() < 0.5) && complexity > 0.15;
  const priority: Priority =
    type === "security_review" || type === "orchestration" || rand() < 0.05 ? "high" : "normal";
  return {
    type,
    complexity,
    requiresTools,
    priority,
    source: "heuristic",
    reason: "simulated",
    promptTokens: Math.round(3_000 + complexity * 40_000 * (0.6 + 0.8 * rand())),
    outTokens: Math.round(300 + 1_200 * complexity),
    rounds: 1 + Math.round(complexity * 6),
  };
}

const pTrue = (a: SimArm, type: TaskType, step: number) =>
  step >= DRIFT_AT ? (a.drift?.[type] ?? a.p[type]) : a.p[type];

/** Expected turn tokens on an arm (failed turns run 50 % longer). */
function turnTokens(a: SimArm, task: SimTask, failed: boolean) {
  const rounds = Math.max(1, Math.round(task.rounds * (failed ? 1.5 : 1)));
  // the prompt grows each round by the previous output and tool results (~+15 % of the first prompt)
  const input = Math.round(rounds * task.promptTokens * (1 + 0.075 * (rounds - 1)));
  const output = Math.round(rounds * task.outTokens * a.verbosity);
  return { input, output, rounds };
}

function expectedTurnCost(a: SimArm, task: SimTask, p: number): number {
  const ok = turnTokens(a, task, false);
  const bad = turnTokens(a, task, true);
  return (
    p * requestCostUSD(a.spec, ok.input, ok.output) + (1 - p) * requestCostUSD(a.spec, bad.input, bad.output)
  );
}

/** Hard feasibility shared by every policy (a prompt that does not fit cannot be sent at all). */
function feasible(a: SimArm, task: SimTask): boolean {
  if (a.spec.contextWindow !== undefined && task.promptTokens + 1024 > a.spec.contextWindow) return false;
  if (a.spec.maxComplexity !== undefined && task.complexity > a.spec.maxComplexity) return false;
  if (task.requiresTools && !a.spec.toolUse) return false;
  return true;
}

function utility(a: SimArm, task: SimTask, step: number): number {
  const p = pTrue(a, task.type, step);
  const value = taskValue(task.type, task.priority);
  return (
    (value * p) /
    effectiveCost({
      costUSD: expectedTurnCost(a, task, p),
      value,
      costWeight: a.spec.costWeight,
      scarcity: 1,
      ...(REFERENCE_USD !== undefined ? { referenceUSD: REFERENCE_USD } : {}),
    })
  );
}

// ---------------------------------------------------------------- policies

interface Policy {
  name: string;
  choose(task: SimTask, step: number, candidates: SimArm[]): Promise<SimArm>;
  learn(
    arm: SimArm,
    task: SimTask,
    success: boolean,
    usage: { input: number; output: number; rounds: number; durationMs: number },
  ): void;
}

/** owlet's router, driven through its RoutingPolicy interface exactly as the engine drives it. */
function banditPolicy(seed: number, timings: number[]): Policy {
  const provider: Provider = { name: "openai", async *stream() {} };
  const bySpec = new Map<string, SimArm>(WORLD.map((a) => [a.spec.id, a]));
  const arms: Arm[] = WORLD.map((a) => ({ ...a.spec, handle: handleFor(a.spec, provider) }));
  let current: SimTask | undefined;
  const classifier: Classifier = { classify: async () => current! };
  const router = new Router({
    arms,
    seed,
    classifier,
    ...(process.env.ROUTER_SIM_GAMMA ? { gamma: Number(process.env.ROUTER_SIM_GAMMA) } : {}),
    ...(REFERENCE_USD !== undefined ? { referenceUSD: REFERENCE_USD } : {}),
  });
  let handle: ArmHandle | undefined;
  let taskType = "";
  return {
    name: "owlet bandit (dTS)",
    async choose(task) {
      current = task;
      const t0 = process.hrtime.bigint();
      const route = await router.selectForTurn({
        prompt: task.type,
        estimatedPromptTokens: task.promptTokens,
        requiresTools: true,
      });
      timings.push(Number(process.hrtime.bigint() - t0) / 1000);
      handle = route.arm;
      taskType = route.taskType;
      return bySpec.get(route.arm.id)!;
    },
    learn(arm, _task, success, usage) {
      const perRound = {
        inputTokens: Math.round(usage.input / usage.rounds),
        outputTokens: Math.round(usage.output / usage.rounds),
      };
      for (let r = 0; r < usage.rounds; r++) {
        router.beginRound(handle!, perRound.inputTokens);
        router.reportRound({
          arm: handle!,
          usage: perRound,
          ttftMs: arm.ttftMs,
          durationMs: usage.durationMs / usage.rounds,
        });
      }
      router.reportTurn({
        arm: handle!,
        taskType,
        success,
        usage: { inputTokens: usage.input, outputTokens: usage.output },
        durationMs: usage.durationMs,
      });
    },
  };
}

/**
 * gnoma's deterministic tiered selection (reference §2.3). `costsFilled` false reproduces gnoma's main (per-1k
 * prices never populated, so the cost term is a constant); true fills them in from the arm prices, as a
 * what-if (EstimateCost: 60 % input / 40 % output tokens at the per-1k prices; `1 + w·(rawCost − 1)`).
 */
function gnomaPolicy(costsFilled = false): Policy {
  const MIN: Record<TaskType, number> = {
    boilerplate: 0.4,
    generation: 0.45,
    refactor: 0.5,
    review: 0.55,
    unit_test: 0.45,
    planning: 0.6,
    orchestration: 0.65,
    security_review: 0.7,
    debug: 0.5,
    explain: 0.4,
  };
  const ema = new Map<string, { v: number; n: number }>();
  const effort = (t: SimTask): "auto" | "low" | "medium" | "high" => {
    const c = t.complexity;
    switch (t.type) {
      case "security_review":
        return "high";
      case "orchestration":
        return c >= 0.5 ? "high" : "medium";
      case "planning":
        return c >= 0.7 ? "high" : "medium";
      case "debug":
      case "refactor":
      case "review":
        return c >= 0.7 ? "medium" : c >= 0.4 ? "low" : "auto";
      case "generation":
        return c >= 0.8 ? "medium" : "auto";
      default:
        return "auto";
    }
  };
  const heuristicQuality = (a: SimArm, t: SimTask): number => {
    let q = 0.5;
    const ctx = a.spec.contextWindow ?? 0;
    if (ctx >= 100_000) q += 0.1;
    if (ctx >= 200_000) q += 0.05;
    if (a.spec.reasoning) {
      if (t.type === "planning" || t.type === "orchestration" || t.type === "security_review") q += 0.2;
      else if (t.type === "debug" || t.type === "refactor") q += 0.1;
    }
    if (t.requiresTools && !a.spec.toolUse) q *= 0.1;
    if (a.spec.local) q += 0.05;
    if (t.complexity > 0.7 && a.spec.local) q *= 0.7;
    return Math.min(1, Math.max(0, q));
  };
  const score = (a: SimArm, t: SimTask): number => {
    let q = heuristicQuality(a, t);
    const e = ema.get(`${a.spec.id}|${t.type}`);
    if (e && e.n >= 3) q = 0.7 * e.v + 0.3 * q;
    if (a.spec.strengths.includes(t.type)) q += 0.15;
    const estimate =
      (taskTokens(t) * (0.6 * (a.spec.priceInputPerMTok ?? 0) + 0.4 * (a.spec.priceOutputPerMTok ?? 0))) /
      1_000_000;
    // CostPer1k* never populated in gnoma's main (reference §2.1, §12 gap 4): the floor applies to every arm.
    const rawCost = costsFilled ? Math.max(0.001, estimate) : 0.001;
    const weighted = Math.max(0.001, 1 + (a.spec.costWeight || 1) * (rawCost - 1));
    return (q * taskValue(t.type, t.priority)) / weighted;
  };
  const best = (arms: SimArm[], t: SimTask) => arms.reduce((b, a) => (score(a, t) > score(b, t) ? a : b));
  const taskTokens = (t: SimTask) => t.promptTokens;
  return {
    name: costsFilled ? "gnoma tiers, costs set" : "gnoma fixed tiers",
    async choose(task, _step, candidates) {
      const eff = effort(task);
      let feas = candidates.filter((a) => eff === "auto" || a.spec.reasoning);
      const good = feas.filter((a) => heuristicQuality(a, task) >= MIN[task.type]);
      if (good.length > 0) feas = good;
      if (feas.length === 0) feas = candidates; // last resort: any arm with capacity
      const strong = feas.filter((a) => a.spec.strengths.includes(task.type));
      if (strong.length > 0) return best(strong, task);
      const tiers = [
        feas.filter(
          (a) =>
            a.spec.maxComplexity !== undefined &&
            a.spec.maxComplexity > 0 &&
            a.spec.maxComplexity >= task.complexity,
        ),
        feas.filter((a) => a.spec.local),
        feas.filter((a) => !a.spec.local),
      ];
      return best(tiers.find((t) => t.length > 0)!, task);
    },
    learn(arm, task, success) {
      const k = `${arm.spec.id}|${task.type}`;
      const e = ema.get(k);
      ema.set(k, e ? { v: 0.3 * (success ? 1 : 0) + 0.7 * e.v, n: e.n + 1 } : { v: success ? 1 : 0, n: 1 });
    },
  };
}

function fixedPolicy(name: string, rank: (a: SimArm) => number): Policy {
  return {
    name,
    async choose(_task, _step, candidates) {
      return candidates.reduce((b, a) => (rank(a) > rank(b) ? a : b));
    },
    learn() {},
  };
}

/** Knows the true probabilities and expected costs: picks the arm with the highest utility (regret 0 by definition). */
function oraclePolicy(): Policy {
  return {
    name: "oracle (knows p)",
    async choose(task, step, candidates) {
      return candidates.reduce((b, a) => (utility(a, task, step) > utility(b, task, step) ? a : b));
    },
    learn() {},
  };
}

const meanP = (a: SimArm) => TASK_TYPES.reduce((s, t) => s + a.p[t], 0) / TASK_TYPES.length;
const price = (a: SimArm) => (a.spec.priceInputPerMTok ?? 0) + (a.spec.priceOutputPerMTok ?? 0);

// ---------------------------------------------------------------- run

interface RunResult {
  policy: string;
  seed: number;
  regret: number;
  qualityGap: number;
  successRate: number;
  costUSD: number;
  costPerSuccessUSD: number;
  meanTurnSec: number;
  regretCurve: number[];
  armShare: Record<string, number>;
}

async function run(policy: Policy, seed: number): Promise<RunResult> {
  const world = mulberry32(seed * 7919 + 17); // same task stream and outcome draws for every policy
  let regret = 0;
  let gap = 0;
  let successes = 0;
  let cost = 0;
  let seconds = 0;
  const curve: number[] = [];
  const share: Record<string, number> = {};
  for (let step = 0; step < TASKS; step++) {
    const task = drawTask(world);
    const u = world(); // outcome draw, fixed per task so policies face the same luck
    const candidates = WORLD.filter((a) => feasible(a, task));
    const arm = await policy.choose(task, step, candidates);
    const p = pTrue(arm, task.type, step);
    const success = u < p;
    regret += Math.max(...candidates.map((a) => utility(a, task, step))) - utility(arm, task, step);
    gap += Math.max(...candidates.map((a) => pTrue(a, task.type, step))) - p;
    const tok = turnTokens(arm, task, !success);
    const usd = requestCostUSD(arm.spec, tok.input, tok.output);
    const durationMs = tok.rounds * arm.ttftMs + (tok.output / arm.tokPerSec) * 1000;
    cost += usd;
    seconds += durationMs / 1000;
    if (success) successes++;
    share[arm.spec.id] = (share[arm.spec.id] ?? 0) + 1 / TASKS;
    policy.learn(arm, task, success, { ...tok, durationMs });
    if ((step + 1) % CHECKPOINT === 0) curve.push(regret);
  }
  return {
    policy: policy.name,
    seed,
    regret,
    qualityGap: gap,
    successRate: successes / TASKS,
    costUSD: cost,
    costPerSuccessUSD: cost / Math.max(1, successes),
    meanTurnSec: seconds / TASKS,
    regretCurve: curve,
    armShare: share,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main() {
  const timings: number[] = [];
  const makers: ((seed: number) => Policy)[] = [
    (seed) => banditPolicy(seed, timings),
    () => gnomaPolicy(),
    () => gnomaPolicy(true),
    () => fixedPolicy("always strongest", meanP),
    () => fixedPolicy("always cheapest", (a) => -price(a)),
    () => oraclePolicy(),
  ];
  const results: RunResult[] = [];
  for (const make of makers) for (const seed of SEEDS) results.push(await run(make(seed), seed));

  const names = [...new Set(results.map((r) => r.policy))];
  const summary = names.map((name) => {
    const rs = results.filter((r) => r.policy === name);
    const med = (f: (r: RunResult) => number) => median(rs.map(f));
    const curve = rs[0]!.regretCurve.map((_, i) => median(rs.map((r) => r.regretCurve[i]!)));
    const shares: Record<string, number> = {};
    for (const a of WORLD)
      shares[a.spec.id] = Math.round(med((r) => r.armShare[a.spec.id] ?? 0) * 1000) / 1000;
    return {
      policy: name,
      regret: med((r) => r.regret),
      qualityGap: med((r) => r.qualityGap),
      successRate: med((r) => r.successRate),
      costUSD: med((r) => r.costUSD),
      costPerSuccessUSD: med((r) => r.costPerSuccessUSD),
      meanTurnSec: med((r) => r.meanTurnSec),
      armShare: shares,
      regretCurve: curve,
    };
  });
  const selectMedianUs = median(timings);

  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    `router simulation: ${TASKS} tasks × ${SEEDS.length} seeds, drift at task ${DRIFT_AT}, medians over seeds`,
    "",
    `${pad("policy", 22)}${"regret".padStart(10)}${"qual.gap".padStart(10)}${"success".padStart(9)}${"$ total".padStart(10)}${"$/success".padStart(11)}${"turn s".padStart(8)}`,
    ...summary.map(
      (s) =>
        `${pad(s.policy, 22)}${s.regret.toFixed(1).padStart(10)}${s.qualityGap.toFixed(1).padStart(10)}${(s.successRate * 100).toFixed(1).padStart(8)}%${s.costUSD.toFixed(2).padStart(10)}${s.costPerSuccessUSD.toFixed(4).padStart(11)}${s.meanTurnSec.toFixed(1).padStart(8)}`,
    ),
    "",
    "arm share (median):",
    ...summary.map(
      (s) =>
        `  ${pad(s.policy, 20)}${Object.entries(s.armShare)
          .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
          .join(", ")}`,
    ),
    "",
    `Router.selectForTurn: median ${selectMedianUs.toFixed(1)} µs per call over ${timings.length} calls (${WORLD.length} arms)`,
  ];
  console.log(lines.join("\n"));

  const outDir = join(here, "results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, "router-sim.json"),
    `${JSON.stringify({ tasks: TASKS, seeds: SEEDS, driftAt: DRIFT_AT, checkpoint: CHECKPOINT, node: process.version, selectMedianUs, arms: WORLD.map((a) => ({ id: a.spec.id, p: a.p, drift: a.drift ?? {}, priceIn: a.spec.priceInputPerMTok ?? 0, priceOut: a.spec.priceOutputPerMTok ?? 0 })), summary, runs: results.map(({ regretCurve, ...r }) => r) }, null, 1)}\n`,
  );
  writeFileSync(
    join(outDir, "router-regret.svg"),
    regretSvg(summary.map((s) => ({ name: s.policy, curve: s.regretCurve }))),
  );
  console.log(`\nwrote bench/results/router-sim.json and bench/results/router-regret.svg`);
}

/** A line chart of cumulative regret per policy (hand-written SVG). */
function regretSvg(series: { name: string; curve: number[] }[]): string {
  const W = 760;
  const H = 420;
  const m = { l: 70, r: 200, t: 40, b: 50 };
  const maxY = Math.max(...series.flatMap((s) => s.curve)) * 1.05;
  const n = series[0]!.curve.length;
  const x = (i: number) => m.l + ((i + 1) / n) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / maxY) * (H - m.t - m.b);
  const colors = ["#1b7837", "#c51b7d", "#2166ac", "#e08214", "#555", "#000"];
  const ticks = 5;
  const grid = Array.from({ length: ticks + 1 }, (_, i) => {
    const v = (maxY / ticks) * i;
    return `<line x1="${m.l}" y1="${y(v).toFixed(1)}" x2="${W - m.r}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${m.l - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(0)}</text>`;
  }).join("");
  const xt = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const tasks = Math.round(f * TASKS);
      const px = m.l + f * (W - m.l - m.r);
      return `<text x="${px.toFixed(1)}" y="${H - m.b + 18}" text-anchor="middle">${tasks}</text>`;
    })
    .join("");
  const drift = m.l + (DRIFT_AT / TASKS) * (W - m.l - m.r);
  const lines = series
    .map((s, k) => {
      const pts = s.curve.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      const ly = m.t + 10 + k * 22;
      return `<polyline fill="none" stroke="${colors[k % colors.length]}" stroke-width="2" points="${pts}"/><line x1="${W - m.r + 15}" y1="${ly}" x2="${W - m.r + 40}" y2="${ly}" stroke="${colors[k % colors.length]}" stroke-width="3"/><text x="${W - m.r + 46}" y="${ly + 4}">${s.name}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${m.l}" y="22" font-size="14" font-weight="bold">Cumulative regret (median of ${SEEDS.length} seeds, ${TASKS} tasks)</text>
${grid}${xt}
<line x1="${drift.toFixed(1)}" y1="${m.t}" x2="${drift.toFixed(1)}" y2="${H - m.b}" stroke="#999" stroke-dasharray="4 3"/><text x="${(drift + 4).toFixed(1)}" y="${m.t + 12}" fill="#777">drift</text>
<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#333"/><line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#333"/>
<text x="${(m.l + (W - m.l - m.r) / 2).toFixed(1)}" y="${H - 12}" text-anchor="middle">tasks</text>
<text x="18" y="${(m.t + (H - m.t - m.b) / 2).toFixed(1)}" transform="rotate(-90 18 ${(m.t + (H - m.t - m.b) / 2).toFixed(1)})" text-anchor="middle">regret (value × p / cost)</text>
${lines}
</svg>
`;
}

await main();
