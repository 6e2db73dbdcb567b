import { CLAUDE_TOOL_NAMES } from "../hooks/claude-names.ts";
import { markdownFiles } from "../markdown/files.ts";
import { parseFrontMatter, stringList } from "../markdown/front-matter.ts";

/**
 * A kind of subagent (Claude Code's `.claude/agents/*.md`): `name`, `description` (when to use it), `tools` (the
 * tools it gets; undefined: all but the agent tool), `model` (an `[[arms]]` id or `provider/model`; undefined or
 * `inherit`: the parent's routing), and its system prompt (the file's body).
 */
export interface AgentDefinition {
  name: string;
  description: string;
  tools?: string[];
  model?: string;
  prompt: string;
  source: string;
}

/** The read-only tools of the built-in `explore` agent. */
export const READ_ONLY_TOOLS = ["fs_read", "fs_ls", "fs_glob", "fs_grep"] as const;

/** The agents every owlet has: `general` (all tools but `agent`) and `explore` (read-only, runs in parallel). */
export const BUILTIN_AGENTS: readonly AgentDefinition[] = [
  {
    name: "general",
    description: "any task: research, changes, commands (one at a time)",
    prompt:
      "You are a subagent. Do the task you are given with the tools you have, then reply with what you found or did, briefly and exactly: your reply is all the caller sees.",
    source: "built-in",
  },
  {
    name: "explore",
    description:
      "read-only research in the workspace: find and read code, answer questions about it (runs in parallel)",
    tools: [...READ_ONLY_TOOLS],
    prompt:
      "You are a read-only research subagent. Find and read what the task needs, change nothing, then reply with the answer and the files and lines it rests on: your reply is all the caller sees.",
    source: "built-in",
  },
];

/** Claude Code's tool names → owlet's. */
const OWLET_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(CLAUDE_TOOL_NAMES).map(([owlet, claude]) => [claude, owlet]),
);

/**
 * The agent definitions in `dirs` (every `*.md` directly inside; the first of a name wins, and definitions found
 * here win over the built-ins of the same name): `tools` in Claude Code's names (`Read, Grep`) or owlet's, as a
 * list or a comma-separated string. A file without name or description is left out with a line in `problems`.
 */
export function discoverAgents(
  dirs: readonly { dir: string; source: string }[],
  problems: string[],
): AgentDefinition[] {
  const out: AgentDefinition[] = [];
  for (const { dir, source } of dirs) {
    for (const f of markdownFiles(dir, false)) {
      try {
        const { data, body } = parseFrontMatter(f.text, f.path);
        const name = typeof data.name === "string" ? data.name.trim() : "";
        const description = typeof data.description === "string" ? data.description.trim() : "";
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(name) || !description)
          throw new Error(`${f.path}: the front matter needs a name ([A-Za-z0-9_-]) and a description`);
        if (out.some((a) => a.name === name)) continue;
        const tools = stringList(data.tools)?.map((t) => OWLET_NAMES[t] ?? t);
        const model = typeof data.model === "string" && data.model !== "inherit" ? data.model : undefined;
        out.push({
          name,
          description,
          ...(tools ? { tools } : {}),
          ...(model ? { model } : {}),
          prompt: body.trim(),
          source,
        });
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
  }
  for (const b of BUILTIN_AGENTS) if (!out.some((a) => a.name === b.name)) out.push(b);
  return out;
}
