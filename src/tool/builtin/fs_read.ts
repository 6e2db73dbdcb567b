import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import type { Tool, ToolOutput } from "../types.ts";
import { errorResult, fsFailureMessage, looksBinary, resolvePath } from "./common.ts";

/** Lines shown when `limit` is not given (gnoma's fs.read default). */
export const FS_READ_DEFAULT_LIMIT = 2000;
/** Longer lines are cut to this many characters and marked. */
export const FS_READ_MAX_LINE_CHARS = 2000;

const parameters = z.object({
  path: z.string().describe("file path"),
  offset: z.number().int().min(1).optional().describe("first line, 1-based"),
  limit: z.number().int().min(1).optional().describe("max lines (default 2000)"),
});

/**
 * `fs_read`: numbered lines of a text file (right-aligned number, tab, text), from `offset` (1-based,
 * default 1) for `limit` lines (default 2000), with a footer `… N more lines; call again with offset=K`
 * when lines remain. Refuses binary files (NUL in the first 8 KiB) and files over `limits.maxFileBytes`.
 * Metadata: `{ totalLines, firstLine, lastLine }`.
 */
export const fsRead: Tool<z.infer<typeof parameters>> = {
  name: "fs_read",
  description: readFileSync(new URL("./fs_read.md", import.meta.url), "utf8").trim(),
  parameters,
  category: "read",
  leanOmits: ["offset", "limit"],
  alsoIn: ["write"],
  readOnly: true,
  destructive: false,
  async run(args, ctx): Promise<ToolOutput> {
    const resolved = await resolvePath(ctx, args.path, "read", "fs_read");
    if (!resolved.ok) return resolved.result;
    const { abs, guard } = resolved;
    const shown = guard.relative(abs);
    let buf: Buffer;
    try {
      const info = await stat(abs);
      if (info.isDirectory())
        return errorResult(`${shown} is a directory, not a file. Use fs_ls to list it.`);
      if (!info.isFile()) {
        return errorResult(
          `${shown} is not a regular file (a device, FIFO or socket); fs_read only reads files.`,
        );
      }
      if (info.size > ctx.limits.maxFileBytes) {
        return errorResult(
          `${shown} is ${info.size} bytes, over the ${ctx.limits.maxFileBytes}-byte read limit. ` +
            `Search it with fs_grep, or read a slice with bash (e.g. \`sed -n '100,200p' ${shown}\` or \`head -n 100 ${shown}\`).`,
        );
      }
      const edited = await ctx.files?.read(abs);
      buf = edited === undefined ? await readFile(abs) : Buffer.from(edited, "utf8");
    } catch (error) {
      const message = await fsFailureMessage(error, guard, abs, shown, "file");
      if (message) return errorResult(message);
      throw error;
    }
    if (looksBinary(buf)) {
      return errorResult(
        `${shown} looks like a binary file (it contains NUL bytes); fs_read only shows text. ` +
          `Inspect it with bash (e.g. \`file ${shown}\` or \`xxd ${shown} | head\`).`,
      );
    }
    await ctx.reads?.record(abs);
    const text = buf.toString("utf8");
    if (text === "") return { output: `(${shown} is empty)`, metadata: { totalLines: 0 } };
    const lines = text.split("\n");
    if (text.endsWith("\n")) lines.pop();
    const total = lines.length;
    const offset = args.offset ?? 1;
    const limit = args.limit ?? FS_READ_DEFAULT_LIMIT;
    if (offset > total) {
      return errorResult(`offset ${offset} is past the end of ${shown}, which has ${total} lines.`, {
        totalLines: total,
      });
    }
    const last = Math.min(total, offset + limit - 1);
    const width = Math.max(6, String(last).length);
    const out: string[] = [];
    for (let n = offset; n <= last; n++) out.push(`${String(n).padStart(width)}\t${clip(lines[n - 1]!)}`);
    if (last < total) out.push(`… ${total - last} more lines; call again with offset=${last + 1}`);
    return { output: out.join("\n"), metadata: { totalLines: total, firstLine: offset, lastLine: last } };
  },
};

function clip(line: string): string {
  if (line.length <= FS_READ_MAX_LINE_CHARS) return line;
  return `${line.slice(0, FS_READ_MAX_LINE_CHARS)}… [line truncated: ${line.length - FS_READ_MAX_LINE_CHARS} more chars]`;
}
