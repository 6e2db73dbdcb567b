import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { z } from "zod";
import { findSensitiveFile } from "../protected-paths.ts";
import type { Tool, ToolOutput } from "../types.ts";
import { errorResult, fsFailureMessage, resolvePath } from "./common.ts";
import { globToRegExp, invalidGlobMessage } from "./glob.ts";
import { compileRegex, type GrepResult, grepWithJs, grepWithRipgrep, hasRipgrep } from "./grep-engines.ts";

/** Default cap on matching lines (gnoma's fs.grep). */
export const FS_GREP_DEFAULT_MAX_RESULTS = 250;

const parameters = z.object({
  pattern: z.string().describe("regular expression"),
  path: z.string().optional().describe("file or directory (default: root)"),
  glob: z.string().optional().describe("file filter, e.g. *.ts"),
  max_results: z.number().int().min(1).optional().describe("default 250"),
});

/** Options for {@link createFsGrepTool}. */
export interface FsGrepOptions {
  /** `auto` (default): ripgrep when `rg` is on PATH, else JS; `js`: always the JS walker; `rg`: always ripgrep. */
  engine?: "auto" | "js" | "rg";
  /** Time limit of one search, ms (default GREP_DEADLINE_MS, 10 s). */
  deadlineMs?: number;
}

/**
 * Builds `fs_grep`: regex search printing `file:line:text` (workspace-relative paths), at most
 * `max_results` (default 250) lines plus a truncation note; honours .gitignore; skips hidden files,
 * node_modules, symlinks and binary files. Uses ripgrep when available (falls back to JS if rg rejects
 * the pattern), else a JS walker; both give the same format. An invalid regex or glob is an error result.
 * Metadata: `{ matches, truncated, engine }`.
 */
export function createFsGrepTool(options: FsGrepOptions = {}): Tool<z.infer<typeof parameters>> {
  const mode = options.engine ?? "auto";
  return {
    name: "fs_grep",
    description: readFileSync(new URL("./fs_grep.md", import.meta.url), "utf8").trim(),
    parameters,
    category: "search",
    leanOmits: ["glob", "max_results"],
    readOnly: true,
    destructive: false,
    async run(args, ctx): Promise<ToolOutput> {
      try {
        compileRegex(args.pattern);
      } catch (error) {
        return errorResult(
          `Invalid regular expression: ${(error as Error).message}. Escape special characters (e.g. \\( \\[ \\.) to match them literally.`,
        );
      }
      if (args.glob !== undefined) {
        try {
          globToRegExp(args.glob);
        } catch (error) {
          return errorResult(invalidGlobMessage(args.glob, error));
        }
      }
      const resolved = await resolvePath(ctx, args.path ?? ".", "read", "fs_grep");
      if (!resolved.ok) return resolved.result;
      const { abs, guard } = resolved;
      const shown = guard.relative(abs);
      let isFile: boolean;
      try {
        isFile = !(await stat(abs)).isDirectory();
      } catch (error) {
        const message = await fsFailureMessage(error, guard, abs, shown, "any");
        if (message) return errorResult(message);
        throw error;
      }
      const maxResults = args.max_results ?? FS_GREP_DEFAULT_MAX_RESULTS;
      const query = {
        root: guard.root,
        target: abs,
        pattern: args.pattern,
        glob: args.glob,
        maxResults,
        signal: ctx.signal,
        ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
        // A directory search reads every file: deny rules for fs_grep or fs_read, and files holding secrets.
        skipFile: (rel: string) =>
          findSensitiveFile(rel) !== undefined ||
          ctx.pathDenied?.("fs_grep", rel) !== undefined ||
          ctx.pathDenied?.("fs_read", rel) !== undefined,
      };
      const useRg = mode === "rg" || (mode === "auto" && (await hasRipgrep()));
      let engine = useRg ? "rg" : "js";
      let result: GrepResult = useRg ? await grepWithRipgrep(query) : await grepWithJs(query, isFile);
      if (!result.ok && useRg && !result.final) {
        engine = "js";
        result = await grepWithJs(query, isFile);
      }
      if (!result.ok) return errorResult(`Search failed: ${result.error}`);
      const metadata = {
        matches: result.lines.length,
        truncated: result.truncated,
        engine,
        skipped: result.skipped,
      };
      const skippedNote =
        result.skipped > 0
          ? `\n(${result.skipped} file${result.skipped === 1 ? "" : "s"} not searched: denied by a rule, or may hold secrets such as .env or keys)`
          : "";
      if (result.lines.length === 0) {
        return {
          output: `No matches for /${args.pattern}/ in ${shown}${args.glob ? ` (files ${args.glob})` : ""}.${skippedNote}`,
          metadata,
        };
      }
      const note = result.truncated
        ? `\n… results capped at ${maxResults} lines; narrow the pattern, path or glob (or raise max_results)`
        : "";
      return { output: result.lines.join("\n") + note + skippedNote, metadata };
    },
  };
}

/** The default `fs_grep` tool (engine `auto`). */
export const fsGrep = createFsGrepTool();
