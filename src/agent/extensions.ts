/** What the user added to owlet, gathered for one agent: plugins, skills, custom commands, agent definitions. */
import { join } from "node:path";
import type { LoadedConfig } from "../config/load.ts";
import { userConfigDir } from "../config/trust.ts";
import { type AgentDefinition, discoverAgents } from "../extension/agents/definitions.ts";
import { discoverCommands, skillCommands } from "../extension/commands/custom.ts";
import type { SlashCommand } from "../extension/commands/slash.ts";
import type { HookSpec } from "../extension/hooks/spec.ts";
import type { McpServerSpec } from "../extension/mcp/spec.ts";
import { type LoadedPlugin, loadPlugins } from "../extension/plugins/load.ts";
import { discoverSkills, type Skill } from "../extension/skills/skills.ts";

/** The extensions of one agent (see loadExtensions). */
export interface AgentExtensions {
  /** Installed plugins that passed their hash check. */
  plugins: LoadedPlugin[];
  skills: Skill[];
  /** Custom commands, then skills as commands. */
  commands: SlashCommand[];
  /** Custom agent definitions, then the built-in ones. */
  agents: AgentDefinition[];
  /** The plugins' hooks. */
  hooks: HookSpec[];
  /** The plugins' MCP servers. */
  mcpServers: McpServerSpec[];
}

/**
 * Gathers, in precedence order (the first of a name wins): the project's `.owlet/` then `.claude/` folders, the
 * user's config folder (`~/.config/owlet/`), then each installed plugin that passed its hash check — `skills/`,
 * `commands/` (a plugin's named `<plugin>:<command>`) and `agents/`; and the plugins' hooks and MCP servers.
 * Skills, commands and agent definitions are text the model reads, so a project's are used in any folder (as the
 * files of the repository are); hooks and servers, which run programs, come only from plugins here (the project's
 * are gated by trust elsewhere). Problems (a refused plugin, broken front matter) go to `notify`, one line each.
 */
export function loadExtensions(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  notify: (message: string) => void,
): AgentExtensions {
  const problems: string[] = [];
  const plugins = loadPlugins(env, problems);
  const project = loaded.projectRoot;
  const user = userConfigDir(env);
  const places = (sub: string) => [
    { dir: join(project, ".owlet", sub), source: "project" },
    { dir: join(project, ".claude", sub), source: "project" },
    { dir: join(user, sub), source: "user" },
  ];
  const skills = discoverSkills(
    [...places("skills"), ...plugins.map((p) => ({ dir: p.skillsDir, source: `plugin ${p.name}` }))],
    problems,
  );
  const commands = discoverCommands(
    [
      ...places("commands"),
      ...plugins.map((p) => ({ dir: p.commandsDir, source: `plugin ${p.name}`, prefix: `${p.name}:` })),
    ],
    problems,
  );
  const agents = discoverAgents(
    [...places("agents"), ...plugins.map((p) => ({ dir: p.agentsDir, source: `plugin ${p.name}` }))],
    problems,
  );
  for (const p of problems) notify(p);
  return {
    plugins,
    skills,
    commands: [...commands, ...skillCommands(skills).filter((s) => !commands.some((c) => c.name === s.name))],
    agents,
    hooks: plugins.flatMap((p) => p.hooks),
    mcpServers: plugins.flatMap((p) => p.mcpServers),
  };
}
