/** The agent's tools: the registry of built-ins and the context every tool run gets (workspace, limits, env). */
import { realpathSync } from "node:fs";
import type { OwletConfig } from "../config/schema.ts";
import { canonicalFolder, userConfigDir } from "../config/trust.ts";
import { pathDenyFilter } from "../policy/index.ts";
import { builtinTools } from "../tool/builtin/index.ts";
import { childEnv } from "../tool/child-env.ts";
import { ReadLedger } from "../tool/read-ledger.ts";
import { ToolRegistry } from "../tool/registry.ts";
import type { CommandHost, TextFileAccess, Tool, ToolContext } from "../tool/types.ts";
import { providerKeyNames, providerKeys } from "./secrets.ts";

/**
 * A registry holding every built-in tool (fs_read, fs_write, fs_edit, fs_ls, fs_glob, fs_grep, bash), or those
 * `keep` accepts (`owlet init`: the read-only ones).
 */
export function builtinRegistry(keep: (tool: Tool) => boolean = () => true): ToolRegistry {
  const registry = new ToolRegistry();
  for (const tool of builtinTools()) if (keep(tool)) registry.register(tool);
  return registry;
}

/**
 * The context of every tool run (the engine adds the abort signal): `cwd` as the workspace root; owlet's user
 * config directory protected; commands get `env` without credentials (names and provider key values, except
 * `[tools] env_allow`); the path deny rules of `[[permission.rules]]`; read-before-write; the `[tools]` limits
 * (bytes, seconds); the `[sandbox]` settings; `files`, an editor's view of text files (unsaved buffers), when
 * the front end has one; `commands`, where bash's commands run instead of as owlet's children (an editor's
 * terminal). Throws when `cwd` does not exist.
 */
export function toolContext(
  config: OwletConfig,
  cwd: string,
  env: NodeJS.ProcessEnv,
  files?: TextFileAccess,
  commands?: CommandHost,
): Omit<ToolContext, "signal"> {
  return {
    ...(files ? { files } : {}),
    ...(commands ? { commands } : {}),
    workspaceRoot: cwd,
    protectedDirs: [canonicalFolder(userConfigDir(env))],
    childEnv: childEnv(env, {
      allow: config.tools.env_allow,
      secretValues: providerKeys(config, env),
      deny: providerKeyNames(),
    }),
    pathDenied: pathDenyFilter(config.permission.rules ?? [], realpathSync(cwd)),
    reads: new ReadLedger(),
    limits: {
      maxFileBytes: config.tools.max_file_size,
      bashTimeoutSec: config.tools.bash_timeout,
      maxBashTimeoutSec: Math.max(600, config.tools.bash_timeout),
      maxOutputBytes: config.tools.max_output_bytes,
    },
    sandbox: config.sandbox,
  };
}
