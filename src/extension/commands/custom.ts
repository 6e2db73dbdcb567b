import { basename } from "node:path";
import { markdownFiles } from "../markdown/files.ts";
import { parseFrontMatter } from "../markdown/front-matter.ts";
import type { Skill } from "../skills/skills.ts";
import { skillBody } from "../skills/skills.ts";
import type { SlashCommand } from "./slash.ts";

/** A folder of custom commands, where it comes from, and the prefix of its commands' names (a plugin's). */
export interface CommandRoot {
  dir: string;
  source: string;
  /** `plugin-name:` for a plugin's commands (Claude Code's namespacing); none for the user's and project's. */
  prefix?: string;
}

/**
 * Custom commands (Claude Code's `.claude/commands/*.md`): every Markdown file under each root is a command named
 * by its path (`review.md` → `review`, `frontend/test.md` → `frontend:test`), its front matter's `description`
 * (default: the body's first line) and `argument-hint` shown in menus. The first of a name wins (pass project
 * roots first). A file with broken front matter is left out with a line in `problems`.
 */
export function discoverCommands(roots: readonly CommandRoot[], problems: string[]): SlashCommand[] {
  const out: SlashCommand[] = [];
  for (const root of roots) {
    for (const f of markdownFiles(root.dir, true)) {
      let doc: ReturnType<typeof parseFrontMatter>;
      try {
        doc = parseFrontMatter(f.text, f.path);
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
        continue;
      }
      const name = `${root.prefix ?? ""}${f.rel.replace(/\.md$/, "").split("/").join(":")}`;
      if (out.some((c) => c.name === name)) continue;
      const body = doc.body.trim();
      const first =
        body
          .split("\n")
          .find((l) => l.trim())
          ?.replace(/^#+\s*/, "") ?? basename(f.path);
      const hint = doc.data["argument-hint"];
      out.push({
        name,
        description: typeof doc.data.description === "string" ? doc.data.description : first.slice(0, 100),
        source: "command",
        ...(typeof hint === "string" ? { argumentHint: hint } : {}),
        expand: async (args) => expandArguments(body, args),
      });
    }
  }
  return out;
}

/**
 * A command body with its arguments put in, as Claude Code does: `$ARGUMENTS` is the whole text, `$1`…`$9` its
 * words (quotes group words); a body that uses neither gets `ARGUMENTS: <text>` appended when there is any.
 */
export function expandArguments(body: string, args: string): string {
  const words = [...args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
  const uses = /\$ARGUMENTS|\$[1-9]/.test(body);
  if (!uses) return args ? `${body}\n\nARGUMENTS: ${args}` : body;
  return body
    .replace(/\$ARGUMENTS/g, args)
    .replace(/\$([1-9])/g, (_m, n: string) => words[Number(n) - 1] ?? "");
}

/** Skills as slash commands (`/name args`): the skill's instructions, then the arguments. */
export function skillCommands(skills: readonly Skill[]): SlashCommand[] {
  return skills.map((s) => ({
    name: s.name,
    description: s.description,
    source: "skill" as const,
    expand: async (args) => expandArguments(skillBody(s), args),
  }));
}
