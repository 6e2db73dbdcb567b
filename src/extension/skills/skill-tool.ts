import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Tool } from "../../tool/types.ts";
import { type Skill, skillBody } from "./skills.ts";

/** What the tool is for (skill-tool.md); the list of skills follows it. */
const DESCRIPTION = readFileSync(new URL("./skill-tool.md", import.meta.url), "utf8").trim();

/** The two-stage category that holds the skill tool. */
export const SKILLS_CATEGORY = "skills";

/**
 * The `skill` tool (Claude Code's Skill tool): its description lists every skill's name and description, and a
 * call loads one skill's instructions (its SKILL.md body, with the folder its files are in). On a local arm under
 * two-stage routing the list is in the `skills` category's step only, so it costs no tokens until the model
 * picks that category. Read-only. An unknown name is an error result listing the skills.
 */
export function skillTool(skills: readonly Skill[]): Tool<{ name: string }> {
  const list = skills.map((s) => `- ${s.name}: ${s.description}`).join("\n");
  return {
    name: "skill",
    description: `${DESCRIPTION}\n${list}`,
    parameters: z.strictObject({ name: z.string().describe("the skill's name") }),
    category: SKILLS_CATEGORY,
    categoryHint: "load instructions for a task",
    readOnly: true,
    destructive: false,
    async run({ name }) {
      const skill =
        skills.find((s) => s.name === name) ??
        skills.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
      if (!skill)
        return {
          output: `no skill named "${name}". Skills: ${skills.map((s) => s.name).join(", ")}.`,
          isError: true,
        };
      return { output: `Skill "${skill.name}" (its files are in ${skill.dir}):\n\n${skillBody(skill)}` };
    },
  };
}
