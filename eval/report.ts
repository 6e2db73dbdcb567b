/**
 * Summaries of eval records: per (model, arm, two-stage, suite) pass rate, false successes, tokens and wall
 * time, as a Markdown table and as an SVG bar chart of pass rates.
 */
import type { RunRecord } from "./run-task.ts";

/** One row of the summary: a group of runs with the same model, arm, two-stage setting and suite. */
export interface SummaryRow {
  model: string;
  arm: string;
  twoStage: boolean;
  /** `T1`, `T2`, `T3` or `all`. */
  suite: string;
  runs: number;
  passed: number;
  /** passed / runs, 0..1. */
  passRate: number;
  falseSuccess: number;
  unexecutedCallAnswers: number;
  /** Median over runs: seconds, tokens. */
  medianWallSeconds: number;
  medianPromptTokens: number;
  /**
   * Median over runs of prompt tokens per request (a run's prompt tokens over its rounds): what two-stage routing
   * shrinks, where the per-run total also grows with the rounds a run takes to do the work.
   */
  medianPromptTokensPerRound: number;
  medianCompletionTokens: number;
  medianRounds: number;
}

/** The median of `xs` (the mean of the two middle values for an even count); 0 for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 0 ? (s[mid - 1]! + s[mid]!) / 2 : s[mid]!;
}

/** Groups records by model, arm, two-stage and suite, plus an `all` row per (model, arm, two-stage). */
export function summarise(records: readonly RunRecord[]): SummaryRow[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    for (const suite of [r.suite, "all"]) {
      const key = JSON.stringify([r.model, r.arm, r.twoStage, suite]);
      const list = groups.get(key) ?? [];
      list.push(r);
      groups.set(key, list);
    }
  }
  const rows: SummaryRow[] = [];
  for (const [key, rs] of groups) {
    const [model, arm, twoStage, suite] = JSON.parse(key) as [string, string, boolean, string];
    const passed = rs.filter((r) => r.passed).length;
    rows.push({
      model,
      arm,
      twoStage,
      suite,
      runs: rs.length,
      passed,
      passRate: passed / rs.length,
      falseSuccess: rs.filter((r) => r.falseSuccess).length,
      unexecutedCallAnswers: rs.filter((r) => r.unexecutedCallAnswer).length,
      medianWallSeconds: median(rs.map((r) => r.wallSeconds)),
      medianPromptTokens: median(rs.map((r) => r.promptTokens)),
      medianPromptTokensPerRound: median(
        rs.filter((r) => r.rounds > 0).map((r) => r.promptTokens / r.rounds),
      ),
      medianCompletionTokens: median(rs.map((r) => r.completionTokens)),
      medianRounds: median(rs.map((r) => r.rounds)),
    });
  }
  const suiteOrder = (s: string) => (s === "all" ? "Z" : s);
  return rows.sort(
    (a, b) =>
      a.model.localeCompare(b.model) ||
      a.arm.localeCompare(b.arm) ||
      Number(b.twoStage) - Number(a.twoStage) ||
      suiteOrder(a.suite).localeCompare(suiteOrder(b.suite)),
  );
}

/** The summary as a Markdown table (one line per row). */
export function markdownTable(rows: readonly SummaryRow[]): string {
  const head =
    "| model | arm | two-stage | suite | passed | pass rate | false success | unexecuted-call answers | median wall s | median prompt tokens | median prompt tokens per round | median completion tokens | median rounds |\n" +
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  const lines = rows.map(
    (r) =>
      `| ${r.model} | ${r.arm} | ${r.twoStage ? "on" : "off"} | ${r.suite} | ${r.passed}/${r.runs} | ${pct(r.passRate)} | ${r.falseSuccess} (${pct(r.falseSuccess / r.runs)}) | ${r.unexecutedCallAnswers} | ${r.medianWallSeconds.toFixed(1)} | ${Math.round(r.medianPromptTokens)} | ${Math.round(r.medianPromptTokensPerRound)} | ${Math.round(r.medianCompletionTokens)} | ${r.medianRounds} |`,
  );
  return [head, ...lines].join("\n");
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * An SVG bar chart: one group of bars per suite (T1, T2, T3, all), one bar per (model, arm, two-stage), height =
 * pass rate; a legend names each bar's series. Self-contained (no fonts or scripts beyond a generic family).
 */
export function passRateSvg(rows: readonly SummaryRow[]): string {
  const suites = [...new Set(rows.map((r) => r.suite))].sort((a, b) =>
    a === "all" ? 1 : b === "all" ? -1 : a.localeCompare(b),
  );
  const series = [
    ...new Set(rows.map((r) => `${r.model} · ${r.arm} · two-stage ${r.twoStage ? "on" : "off"}`)),
  ];
  const colours = ["#3b6fb6", "#9cc3ec", "#c0504d", "#f0a8a6", "#4f9a55", "#a9d8ad", "#8064a2", "#c9b8df"];
  const barW = 22;
  const gap = 26;
  const groupW = series.length * barW + gap;
  const left = 50;
  const top = 30;
  const plotH = 220;
  const width = left + suites.length * groupW + 20;
  const legendH = series.length * 18 + 10;
  const height = top + plotH + 40 + legendH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="18" font-size="14">owlet eval: pass rate by suite</text>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const y = top + plotH - t * plotH;
    parts.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${t * 100}%</text>`,
    );
  }
  suites.forEach((suite, g) => {
    const x0 = left + g * groupW + gap / 2;
    series.forEach((name, i) => {
      const row = rows.find(
        (r) => r.suite === suite && `${r.model} · ${r.arm} · two-stage ${r.twoStage ? "on" : "off"}` === name,
      );
      if (!row) return;
      const h = row.passRate * plotH;
      const x = x0 + i * barW;
      parts.push(
        `<rect x="${x}" y="${top + plotH - h}" width="${barW - 3}" height="${h}" fill="${colours[i % colours.length]}"><title>${escapeXml(name)} ${suite}: ${row.passed}/${row.runs}</title></rect>`,
        `<text x="${x + (barW - 3) / 2}" y="${top + plotH - h - 3}" text-anchor="middle" font-size="9">${Math.round(row.passRate * 100)}</text>`,
      );
    });
    parts.push(
      `<text x="${x0 + (series.length * barW) / 2}" y="${top + plotH + 16}" text-anchor="middle">${suite}</text>`,
    );
  });
  series.forEach((name, i) => {
    const y = top + plotH + 34 + i * 18;
    parts.push(
      `<rect x="${left}" y="${y}" width="12" height="12" fill="${colours[i % colours.length]}"/>`,
      `<text x="${left + 18}" y="${y + 10}">${escapeXml(name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
