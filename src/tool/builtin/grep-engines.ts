import { execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { looksBinary } from "./common.ts";
import { globToRegExp } from "./glob.ts";
import { walkFiles } from "./walk.ts";

/** Matched line text longer than this is cut (both engines), so one minified line cannot flood the context. */
export const GREP_MAX_LINE_CHARS = 500;

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
}

/**
 * `lines` are `file:line:text`; `truncated` when `maxResults` cut the search short; `skipped` counts files left out
 * by `skipFile` (JS: every such file; ripgrep: those that had matches).
 */
export type GrepResult =
  | { ok: true; lines: string[]; truncated: boolean; skipped: number }
  | { ok: false; error: string };

/** Formats one match the same way for both engines. */
export function formatMatch(rel: string, lineNumber: number, text: string): string {
  let line = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (line.length > GREP_MAX_LINE_CHARS) line = `${line.slice(0, GREP_MAX_LINE_CHARS)}… [line truncated]`;
  return `${rel}:${lineNumber}:${line}`;
}

/**
 * Compiles a search pattern as a JS RegExp. A leading `(?i)` (Rust/Go/PCRE inline flag, which ripgrep
 * accepts and models often write) becomes the `i` flag. Throws `SyntaxError` for an invalid pattern.
 */
export function compileRegex(pattern: string): RegExp {
  if (pattern.startsWith("(?i)")) return new RegExp(pattern.slice(4), "i");
  return new RegExp(pattern);
}

let ripgrep: Promise<boolean> | undefined;

/** Whether `rg` runs from PATH; checked once (`rg --version`) and cached for the process. */
export function hasRipgrep(): Promise<boolean> {
  ripgrep ??= new Promise((resolve) => {
    execFile("rg", ["--version"], { timeout: 5000 }, (error) => resolve(!error));
  });
  return ripgrep;
}

/**
 * Pure-JS grep: walks `target` like ripgrep does by default (skips hidden files and directories,
 * node_modules, .gitignore'd paths, symlinks and binary files), tests each line with `RegExp(pattern)`.
 */
export async function grepWithJs(query: GrepQuery, targetIsFile: boolean): Promise<GrepResult> {
  const regex = compileRegex(query.pattern);
  const nameFilter = query.glob ? globToRegExp(query.glob) : undefined;
  const lines: string[] = [];
  const files: string[] = [];
  let skipped = 0;
  if (targetIsFile) {
    files.push(query.target);
  } else {
    for await (const entry of walkFiles(query.root, query.target, {
      skipHiddenFiles: true,
      signal: query.signal,
    })) {
      if (entry.isSymlink) continue;
      if (nameFilter && !nameFilter.test(path.relative(query.target, entry.abs).split(path.sep).join("/")))
        continue;
      if (query.skipFile?.(path.relative(query.root, entry.abs).split(path.sep).join("/"))) {
        skipped++;
        continue;
      }
      files.push(entry.abs);
    }
  }
  for (const file of files) {
    if (query.signal?.aborted) break;
    const buf = await readFile(file).catch(() => undefined);
    if (!buf || looksBinary(buf)) continue;
    const rel = path.relative(query.root, file).split(path.sep).join("/");
    const text = buf.toString("utf8").split("\n");
    if (text[text.length - 1] === "") text.pop();
    for (let i = 0; i < text.length; i++) {
      if (!regex.test(text[i]!)) continue;
      if (lines.length >= query.maxResults) return { ok: true, lines, truncated: true, skipped };
      lines.push(formatMatch(rel, i + 1, text[i]!));
    }
  }
  return { ok: true, lines, truncated: false, skipped };
}

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
    child.on("close", (code) => {
      if (!truncated && pending !== "") take(pending);
      if (code === 2 && lines.length === 0 && !truncated) resolve({ ok: false, error: stderr.trim() });
      else resolve({ ok: true, lines, truncated, skipped: skippedFiles.size });
    });
  });
}
