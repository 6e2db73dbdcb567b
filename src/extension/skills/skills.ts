import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseFrontMatter } from "../markdown/front-matter.ts";

/** A skill: a folder with a SKILL.md whose front matter names and describes it (Claude Code's format). */
export interface Skill {
  name: string;
  description: string;
  /** The folder (its other files are the skill's resources). */
  dir: string;
  /** Where it was found: `project`, `user`, `plugin NAME`. */
  source: string;
}

/** A folder of skills and where it comes from. */
export interface SkillRoot {
  dir: string;
  source: string;
}

/**
 * The skills in `roots`, in order (the first of a name wins: pass project roots first): every `<root>/<folder>/
 * SKILL.md` with a `name` (default: the folder's name) and a `description` in its front matter. A SKILL.md
 * without a description or with broken front matter is left out with a line in `problems`.
 */
export function discoverSkills(roots: readonly SkillRoot[], problems: string[]): Skill[] {
  const out: Skill[] = [];
  for (const root of roots) {
    if (!existsSync(root.dir)) continue;
    for (const folder of readdirSync(root.dir).sort()) {
      const dir = join(root.dir, folder);
      const file = join(dir, "SKILL.md");
      try {
        if (!statSync(dir).isDirectory() || !existsSync(file)) continue;
        const { data } = parseFrontMatter(readFileSync(file, "utf8"), file);
        const name = typeof data.name === "string" && data.name.trim() ? data.name.trim() : folder;
        if (typeof data.description !== "string" || !data.description.trim())
          throw new Error(`${file}: the front matter needs a description (what the skill is for)`);
        if (out.some((s) => s.name === name)) continue;
        out.push({ name, description: data.description.trim(), dir, source: root.source });
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
  }
  return out;
}

/** A skill's instructions: its SKILL.md without the front matter. Throws when the file cannot be read. */
export function skillBody(skill: Skill): string {
  const file = join(skill.dir, "SKILL.md");
  return parseFrontMatter(readFileSync(file, "utf8"), file).body.trim();
}
