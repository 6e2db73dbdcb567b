import { readFileSync } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Tool, ToolOutput } from "../types.ts";
import { errorResult, fsFailureMessage, humanSize, resolvePath } from "./common.ts";

/** Most entries listed; the rest are counted in a note. */
export const FS_LS_MAX_ENTRIES = 500;

const parameters = z.object({
  path: z.string().optional().describe("directory (default: workspace root)"),
});

interface Entry {
  flag: "d" | "l" | "-";
  size: string;
  name: string;
}

/**
 * `fs_ls`: one line per entry, `<flag> <size> <name>`, flag `d`/`l`/`-`, human size (`-` for
 * directories), `/` after directory names, `-> target` after symlinks; directories first, then by name;
 * at most 500 entries plus a note. Metadata: `{ entries, dirs, files, symlinks }`.
 */
export const fsLs: Tool<z.infer<typeof parameters>> = {
  name: "fs_ls",
  description: readFileSync(new URL("./fs_ls.md", import.meta.url), "utf8").trim(),
  parameters,
  category: "read",
  readOnly: true,
  destructive: false,
  async run(args, ctx): Promise<ToolOutput> {
    const resolved = await resolvePath(ctx, args.path ?? ".", "read", "fs_ls");
    if (!resolved.ok) return resolved.result;
    const { abs, guard } = resolved;
    const shown = guard.relative(abs);
    let names: string[];
    try {
      const info = await lstat(abs);
      if (!info.isDirectory())
        return errorResult(`${shown} is a file, not a directory. Use fs_read to read it.`);
      names = await readdir(abs);
    } catch (error) {
      const message = await fsFailureMessage(error, guard, abs, shown, "any");
      if (message) return errorResult(message);
      throw error;
    }
    const entries: Entry[] = [];
    for (const name of names) {
      const full = path.join(abs, name);
      const info = await lstat(full).catch(() => undefined);
      if (!info) continue; // vanished meanwhile
      if (info.isSymbolicLink()) {
        const target = await readlink(full).catch(() => "?");
        entries.push({ flag: "l", size: humanSize(info.size), name: `${name} -> ${target}` });
      } else if (info.isDirectory()) {
        entries.push({ flag: "d", size: "-", name: `${name}/` });
      } else {
        entries.push({ flag: "-", size: humanSize(info.size), name });
      }
    }
    entries.sort((a, b) => {
      if ((a.flag === "d") !== (b.flag === "d")) return a.flag === "d" ? -1 : 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    const metadata = {
      entries: entries.length,
      dirs: entries.filter((e) => e.flag === "d").length,
      files: entries.filter((e) => e.flag === "-").length,
      symlinks: entries.filter((e) => e.flag === "l").length,
    };
    if (entries.length === 0) return { output: `(${shown} is empty)`, metadata };
    const lines = entries.slice(0, FS_LS_MAX_ENTRIES).map((e) => `${e.flag} ${e.size.padStart(5)} ${e.name}`);
    if (entries.length > FS_LS_MAX_ENTRIES) {
      lines.push(
        `… ${entries.length - FS_LS_MAX_ENTRIES} more entries not shown; use fs_glob with a pattern to narrow the listing`,
      );
    }
    return { output: lines.join("\n"), metadata };
  },
};
