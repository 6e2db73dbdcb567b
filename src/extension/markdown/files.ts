import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** A Markdown file found under a folder, with its path relative to that folder (`/`-separated). */
export interface FoundFile {
  path: string;
  rel: string;
  text: string;
}

/** Files larger than this are skipped (bytes): instructions, not data. */
const MAX_MARKDOWN_BYTES = 256 * 1024;

/**
 * Every `*.md` file under `dir` (recursively when `deep`), sorted by relative path; a missing folder is none.
 * Unreadable and oversized files are skipped; symlinked folders are not followed.
 */
export function markdownFiles(dir: string, deep: boolean): FoundFile[] {
  if (!existsSync(dir)) return [];
  const out: FoundFile[] = [];
  const walk = (at: string) => {
    let names: string[];
    try {
      names = readdirSync(at).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(at, name);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (deep && !name.startsWith(".")) walk(path);
      } else if (name.endsWith(".md") && st.size <= MAX_MARKDOWN_BYTES) {
        try {
          out.push({ path, rel: relative(dir, path).split(sep).join("/"), text: readFileSync(path, "utf8") });
        } catch {
          // unreadable: skipped
        }
      }
    }
  };
  walk(dir);
  return out;
}
