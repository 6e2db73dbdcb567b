import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { claudeHooks, readJsonFile } from "../hooks/sources.ts";
import type { HookSpec } from "../hooks/spec.ts";
import type { McpServerSpec } from "../mcp/spec.ts";
import { mcpJsonServers } from "../mcp/spec.ts";
import { contentHash } from "./hash.ts";
import { readManifest } from "./manifest.ts";
import { pluginsDir, readPins } from "./store.ts";

/** A plugin that passed its hash check, and what it brings (Claude Code's plugin layout). */
export interface LoadedPlugin {
  name: string;
  dir: string;
  version?: string;
  description?: string;
  /** `skills/`: folders with a SKILL.md. */
  skillsDir: string;
  /** `commands/`: Markdown commands, named `<plugin>:<command>`. */
  commandsDir: string;
  /** `agents/`: agent definitions. */
  agentsDir: string;
  /** `hooks/hooks.json`, run with `CLAUDE_PLUGIN_ROOT` set to the plugin folder. */
  hooks: HookSpec[];
  /** `.mcp.json` (or `mcpServers` in the manifest), `${CLAUDE_PLUGIN_ROOT}` expanded. */
  mcpServers: McpServerSpec[];
}

/**
 * The installed plugins whose content still has the hash pinned at install (trust on first use). A plugin that
 * changed since is refused, with a line in `problems` giving both hashes and what to do; so is a folder in the
 * plugins directory that was not installed with `owlet plugin install`, and one whose files cannot be read.
 */
export function loadPlugins(env: NodeJS.ProcessEnv, problems: string[]): LoadedPlugin[] {
  const root = pluginsDir(env);
  let pins: ReturnType<typeof readPins>;
  try {
    pins = readPins(env);
  } catch (err) {
    problems.push(`${err instanceof Error ? err.message : String(err)}; no plugin was loaded`);
    return [];
  }
  const out: LoadedPlugin[] = [];
  const folders = existsSync(root) ? readdirSync(root).sort() : [];
  for (const name of folders) {
    const dir = join(root, name);
    const pin = pins[name];
    if (!pin) {
      problems.push(`plugin folder ${dir} was not installed with owlet plugin install; it was not loaded`);
      continue;
    }
    try {
      const hash = contentHash(dir);
      if (hash !== pin.hash) {
        problems.push(
          `plugin "${name}" was refused: its files changed since it was installed (pinned sha256 ${pin.hash.slice(0, 16)}…, now ${hash.slice(0, 16)}…). If you trust the change, reinstall it: owlet plugin remove ${name} && owlet plugin install ${pin.source}`,
        );
        continue;
      }
      const manifest = readManifest(dir);
      const vars = { ...env, CLAUDE_PLUGIN_ROOT: dir };
      const skipped: string[] = [];
      const hooksFile = join(dir, "hooks", "hooks.json");
      const hooks = existsSync(hooksFile)
        ? claudeHooks(hooksFile, readJsonFile(hooksFile), skipped, { CLAUDE_PLUGIN_ROOT: dir }).map((h) => ({
            ...h,
            source: `plugin ${name}`,
          }))
        : [];
      for (const s of skipped) problems.push(`plugin ${name}: skipped ${s}`);
      const mcpServers = mcpJsonServers(join(dir, ".mcp.json"), vars, problems, `plugin ${name}`);
      out.push({
        ...manifest,
        name,
        dir,
        skillsDir: join(dir, "skills"),
        commandsDir: join(dir, "commands"),
        agentsDir: join(dir, "agents"),
        hooks,
        mcpServers,
      });
    } catch (err) {
      problems.push(`plugin "${name}" was not loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}
