import { readFileSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Tool, ToolOutput } from "../types.ts";
import { countLines, errorResult, fsErrorMessage, resolvePath } from "./common.ts";
import { stripLinePrefixes } from "./line-prefixes.ts";

const parameters = z.object({
  path: z.string().describe("file path"),
  content: z.string().describe("full file content"),
});

/**
 * `fs_write`: writes `content` (UTF-8) to `path` (line-number prefixes copied from fs_read/fs_grep output removed,
 * see stripLinePrefixes), creating parent directories (0755) and the file
 * (0644). Refuses content over `limits.maxFileBytes` and directory paths (an existing directory, or a path
 * ending in `/`, `/.` or `/..`), and paths the guard refuses (outside the workspace, `~`, or a symlink into a
 * protected path). Reports
 * `Created|Overwrote <path> (<bytes> bytes, <lines> lines)`. Metadata: `{ bytes, lines, created }`.
 */
export const fsWrite: Tool<z.infer<typeof parameters>> = {
  name: "fs_write",
  description: readFileSync(new URL("./fs_write.md", import.meta.url), "utf8").trim(),
  parameters,
  category: "write",
  readOnly: false,
  destructive: false,
  async run(args, ctx): Promise<ToolOutput> {
    if (args.path.endsWith("/")) {
      return errorResult(`${args.path} ends with a slash, so it names a directory; give a file path.`);
    }
    if (/(?:^|\/)\.\.?$/.test(args.path)) {
      return errorResult(`${args.path} ends with . or .., so it names a directory; give a file path.`);
    }
    const resolved = await resolvePath(ctx, args.path, "write", "fs_write");
    if (!resolved.ok) return resolved.result;
    const { abs, guard } = resolved;
    const shown = guard.relative(abs);
    const stripped = stripLinePrefixes(args.content);
    const content = stripped ?? args.content;
    const bytes = Buffer.byteLength(content, "utf8");
    if (bytes > ctx.limits.maxFileBytes) {
      return errorResult(
        `Content is ${bytes} bytes, over the ${ctx.limits.maxFileBytes}-byte write limit; nothing was written. ` +
          "Split it into smaller files, or generate the file with a bash command.",
      );
    }
    try {
      const existing = await stat(abs).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      if (existing?.isDirectory()) return errorResult(`${shown} is a directory; give a file path.`);
      const unread = await ctx.reads?.refusal(abs, shown, "write");
      if (unread) return errorResult(unread);
      await mkdir(path.dirname(abs), { recursive: true, mode: 0o755 });
      if (!(await ctx.files?.write(abs, content))) await writeFile(abs, content, { mode: 0o644 });
      await ctx.reads?.record(abs);
      const lines = countLines(content);
      const verb = existing ? "Overwrote" : "Created";
      const note =
        stripped === undefined ? "" : "; the line-number prefixes copied from tool output were removed";
      return {
        output: `${verb} ${shown} (${bytes} byte${bytes === 1 ? "" : "s"}, ${lines} line${lines === 1 ? "" : "s"}${note})`,
        metadata: { bytes, lines, created: !existing },
      };
    } catch (error) {
      const message = fsErrorMessage(error, shown);
      if (message) return errorResult(message);
      throw error;
    }
  },
};
