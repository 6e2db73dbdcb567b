/**
 * The results file of `owlet batch` (JSONL, one {@link TaskRecord} per task, appended as tasks finish) and the
 * summary table printed at the end.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { TaskRecord } from "./run-task.ts";

/**
 * The records already in `file` by id (a resumed batch skips these tasks); an unreadable or partial last line
 * (a run killed while writing) is ignored. A missing file is empty.
 */
export function readResults(file: string): Map<string, TaskRecord> {
  const done = new Map<string, TaskRecord>();
  if (!existsSync(file)) return done;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const rec = JSON.parse(line) as TaskRecord;
      if (typeof rec.id === "string") done.set(rec.id, rec);
    } catch {
      // a line cut short
    }
  }
  return done;
}

/** Appends one record as one line (one write call, so lines from one process never interleave). */
export function appendResult(file: string, record: TaskRecord): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** The summary table: one row per record (id, status, check, tokens, cost, wall), then the totals. */
export function summaryTable(records: readonly TaskRecord[]): string {
  const rows = records.map((r) => [
    r.id,
    r.status,
    r.check_passed === null ? "-" : r.check_passed ? "pass" : "FAIL",
    `${r.tokens.input}+${r.tokens.output}`,
    r.cost_usd.toFixed(4),
    `${(r.wall_ms / 1000).toFixed(1)}s`,
  ]);
  const passed = records.filter((r) => r.check_passed === true).length;
  const checked = records.filter((r) => r.check_passed !== null).length;
  const ok = records.filter((r) => r.status === "success").length;
  const sum = (f: (r: TaskRecord) => number) => records.reduce((n, r) => n + f(r), 0);
  const header = ["task", "status", "check", "tokens", "cost $", "wall"];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    fmt(header),
    ...rows.map(fmt),
    `${records.length} tasks: ${ok} success, checks ${passed}/${checked} passed, ` +
      `${sum((r) => r.tokens.input)}+${sum((r) => r.tokens.output)} tokens, $${sum((r) => r.cost_usd).toFixed(4)}`,
  ].join("\n");
}
