import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { globToRegExp } from "./glob.ts";
import { formatMatch } from "./grep-format.ts";
import type { GrepWorkerInput, GrepWorkerOutput } from "./grep-worker.ts";
import { walkFiles } from "./walk.ts";

/** One grep run. Paths in the result are relative to `root`. */
export interface GrepQuery {
  /** Workspace root (absolute, real). */
  root: string;
  /** File or directory to search (absolute, inside root). */
  target: string;
  /** Regex source (already validated with {@link compileRegex}). */
  pattern: string;
  /** File-name glob filter (see globToRegExp), matched against paths relative to `target`. */
  glob?: string;
  /** Stop after this many matching lines. */
  maxResults: number;
  signal?: AbortSignal;
  /**
   * Files (root-relative, `/`-separated) a directory search must not read or report: deny rules, files holding
   * secrets. Not applied when `target` is the file itself (the permission check saw that path).
   */
  skipFile?: (rel: string) => boolean;
  /** Time limit of the search, ms; default GREP_DEADLINE_MS. */
  deadlineMs?: number;
}

/**
 * `lines` are `file:line:text`; `truncated` when `maxResults` cut the search short; `skipped` counts files left out
 * by `skipFile` (JS: every such file; ripgrep: those that had matches).
 */
export type GrepResult =
  | { ok: true; lines: string[]; truncated: boolean; skipped: number }
  | {
      ok: false;
      error: string /** The search ran out of time: another engine would too. */;
      final?: boolean;
    };

export { compileRegex, formatMatch, GREP_MAX_LINE_CHARS } from "./grep-format.ts";

let ripgrep: Promise<boolean> | undefined;

/** Whether `rg` runs from PATH; checked once (`rg --version`) and cached for the process. */
export function hasRipgrep(): Promise<boolean> {
  ripgrep ??= new Promise((resolve) => {
    execFile("rg", ["--version"], { timeout: 5000 }, (error) => resolve(!error));
  });
  return ripgrep;
}

/** Default time limit of one search, ms (both engines). */
export const GREP_DEADLINE_MS = 10_000;

/**
 * Pure-JS grep: walks `target` like ripgrep does by default (skips hidden files and directories,
 * node_modules, .gitignore'd paths, symlinks, binary files and `skipFile` files), then tests each line with
 * `RegExp(pattern)` in a worker thread (grep-worker.ts) that is terminated at `deadlineMs` (default
 * GREP_DEADLINE_MS) or when `signal` aborts, so a catastrophically backtracking pattern cannot hang the turn:
 * then `{ ok: false }` says why.
 */
export async function grepWithJs(query: GrepQuery, targetIsFile: boolean): Promise<GrepResult> {
  const nameFilter = query.glob ? globToRegExp(query.glob) : undefined;
  const files: { abs: string; rel: string }[] = [];
  let skipped = 0;
  const relOf = (abs: string) => path.relative(query.root, abs).split(path.sep).join("/");
  if (targetIsFile) {
    files.push({ abs: query.target, rel: relOf(query.target) });
  } else {
    for await (const entry of walkFiles(query.root, query.target, {
      skipHiddenFiles: true,
      signal: query.signal,
    })) {
      if (entry.isSymlink) continue;
      if (nameFilter && !nameFilter.test(path.relative(query.target, entry.abs).split(path.sep).join("/")))
        continue;
      const rel = relOf(entry.abs);
      if (query.skipFile?.(rel)) {
        skipped++;
        continue;
      }
      files.push({ abs: entry.abs, rel });
    }
  }
  if (query.signal?.aborted) return { ok: false, error: "interrupted" };
  const input: GrepWorkerInput = { pattern: query.pattern, files, maxResults: query.maxResults };
  const deadlineMs = query.deadlineMs ?? GREP_DEADLINE_MS;
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_URL, { workerData: input });
    let settled = false;
    const finish = (result: GrepResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      query.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          error:
            `the search was stopped after ${deadlineMs / 1000} s: the pattern may backtrack catastrophically ` +
            "(nested quantifiers such as (a+)+, or lookarounds over long lines). Simplify it or search for a literal string.",
        }),
      deadlineMs,
    );
    const onAbort = () => finish({ ok: false, error: "interrupted" });
    query.signal?.addEventListener("abort", onAbort, { once: true });
    worker.once("message", (out: GrepWorkerOutput) => finish({ ok: true, ...out, skipped }));
    worker.once("error", (error) => finish({ ok: false, error: error.message }));
    worker.once("exit", () => finish({ ok: false, error: "the search worker stopped unexpectedly" }));
  });
}

/** The worker script: compiled `.js` beside this file in dist/, the `.ts` source when run from src/. */
const WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./grep-worker.ts" : "./grep-worker.js",
  import.meta.url,
);

/**
 * ripgrep: `rg --no-require-git --sort path` from the workspace root (so .gitignore applies even
 * outside a git repository and the order is stable), parsed from `--null` output and reformatted with
 * {@link formatMatch}. Stops rg once `maxResults` lines have arrived. Returns `{ ok: false }` with rg's
 * stderr when rg fails (exit 2) without output; the caller may fall back to the JS engine.
 */
export function grepWithRipgrep(query: GrepQuery): Promise<GrepResult> {
  const rel = path.relative(query.root, query.target);
  const args = [
    "--line-number",
    "--no-heading",
    "--with-filename",
    "--null",
    "--color",
    "never",
    "--no-require-git",
    "--sort",
    "path",
    "--glob",
    "!node_modules/",
  ];
  if (query.glob) args.push("--glob", query.glob);
  args.push("-e", query.pattern);
  if (rel !== "") args.push("--", rel);
  return new Promise((resolve) => {
    const child = spawn("rg", args, {
      cwd: query.root,
      stdio: ["ignore", "pipe", "pipe"],
      signal: query.signal,
    });
    const lines: string[] = [];
    const skippedFiles = new Set<string>();
    let truncated = false;
    let pending = "";
    let stderr = "";
    const take = (raw: string) => {
      const nul = raw.indexOf("\0");
      if (nul === -1) return;
      const rest = raw.slice(nul + 1);
      const colon = rest.indexOf(":");
      if (colon === -1) return;
      const file = raw.slice(0, nul).split(path.sep).join("/").replace(/^\.\//, "");
      if (file !== rel && query.skipFile?.(file)) {
        skippedFiles.add(file);
        return;
      }
      if (lines.length >= query.maxResults) {
        truncated = true;
        child.kill();
        return;
      }
      lines.push(formatMatch(file, Number(rest.slice(0, colon)), rest.slice(colon + 1)));
    };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (truncated) return;
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop()!;
      for (const part of parts) {
        take(part);
        if (truncated) return;
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (error) => resolve({ ok: false, error: error.message }));
    let timedOut = false;
    const deadlineMs = query.deadlineMs ?? GREP_DEADLINE_MS;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, deadlineMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut && !truncated) {
        resolve({
          ok: false,
          error: `the search was stopped after ${deadlineMs / 1000} s; narrow the path or glob`,
          final: true,
        });
        return;
      }
      if (!truncated && pending !== "") take(pending);
      if (code === 2 && lines.length === 0 && !truncated) resolve({ ok: false, error: stderr.trim() });
      else resolve({ ok: true, lines, truncated, skipped: skippedFiles.size });
    });
  });
}
