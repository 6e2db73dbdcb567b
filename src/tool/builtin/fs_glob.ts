import { readFileSync } from "node:fs";
import { lstat, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Tool, ToolOutput } from "../types.ts";
import { errorResult, fsFailureMessage, resolvePath } from "./common.ts";
import { globToRegExp, invalidGlobMessage } from "./glob.ts";
import { walkFiles } from "./walk.ts";

/** Most paths listed; the rest are counted in a note. */
export const FS_GLOB_MAX_RESULTS = 200;

const parameters = z.object({
  pattern: z.string().describe("glob, e.g. src/**/*.ts"),
  path: z.string().optional().describe("directory to search (default: root)"),
});

/**
 * `fs_glob`: files under `path` (default the workspace root) whose path relative to `path` matches
 * `pattern` (see {@link globToRegExp}), one workspace-relative path per line, newest mtime first, at most
 * 200 plus a note. Skips hidden directories, node_modules and .gitignore'd paths; symlinks are listed,
 * never followed. Metadata: `{ matches }`.
 */
export const fsGlob: Tool<z.infer<typeof parameters>> = {
  name: "fs_glob",
  description: readFileSync(new URL("./fs_glob.md", import.meta.url), "utf8").trim(),
  parameters,
  category: "search",
  readOnly: true,
  destructive: false,
  async run(args, ctx): Promise<ToolOutput> {
    if (path.isAbsolute(args.pattern) || args.pattern.split("/").includes("..")) {
      return errorResult(
        `pattern "${args.pattern}" must be relative (no leading / or ..); put the directory in path instead.`,
      );
    }
    const resolved = await resolvePath(ctx, args.path ?? ".", "read", "fs_glob");
    if (!resolved.ok) return resolved.result;
    const { abs, guard } = resolved;
    const shown = guard.relative(abs);
    try {
      if (!(await stat(abs)).isDirectory()) return errorResult(`path ${shown} is a file; give a directory.`);
    } catch (error) {
      const message = await fsFailureMessage(error, guard, abs, shown, "any");
      if (message) return errorResult(message);
      throw error;
    }
    let regex: RegExp;
    try {
      regex = globToRegExp(args.pattern);
    } catch (error) {
      return errorResult(invalidGlobMessage(args.pattern, error));
    }
    const matches: { rel: string; mtime: number }[] = [];
    for await (const entry of walkFiles(guard.root, abs, { signal: ctx.signal })) {
      const relToStart = path.relative(abs, entry.abs).split(path.sep).join("/");
      if (!regex.test(relToStart)) continue;
      const info = await lstat(entry.abs).catch(() => undefined);
      matches.push({ rel: entry.rel, mtime: info?.mtimeMs ?? 0 });
    }
    if (matches.length === 0) {
      return { output: `No files match ${args.pattern} under ${shown}.`, metadata: { matches: 0 } };
    }
    matches.sort((a, b) => b.mtime - a.mtime || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    const lines = matches.slice(0, FS_GLOB_MAX_RESULTS).map((m) => m.rel);
    if (matches.length > FS_GLOB_MAX_RESULTS) {
      lines.push(
        `… ${matches.length - FS_GLOB_MAX_RESULTS} more matches not shown; narrow the pattern or path`,
      );
    }
    return { output: lines.join("\n"), metadata: { matches: matches.length } };
  },
};
