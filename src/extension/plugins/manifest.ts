import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { readJsonFile } from "../hooks/sources.ts";

/** A plugin's manifest (Claude Code's `.claude-plugin/plugin.json`), the fields owlet reads. */
export interface PluginManifest {
  name: string;
  version?: string;
  description?: string;
}

/** Plugin names: lower-case letters, digits, `.`, `_`, `-` (Claude Code's kebab-case names fit). */
const PLUGIN_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * The manifest of the plugin in `dir`: `.claude-plugin/plugin.json` (or `plugin.json` at the top), its name
 * defaulting to the folder's. Throws an Error naming the file for invalid JSON or an invalid name.
 */
export function readManifest(dir: string): PluginManifest {
  const file = [join(dir, ".claude-plugin", "plugin.json"), join(dir, "plugin.json")].find((f) =>
    existsSync(f),
  );
  const data = (file ? readJsonFile(file) : {}) as Record<string, unknown>;
  const name = typeof data.name === "string" ? data.name : basename(dir).toLowerCase();
  if (!PLUGIN_NAME.test(name))
    throw new Error(
      `${file ?? dir}: plugin name "${name}" must be lower-case letters, digits, ".", "_" or "-"`,
    );
  return {
    name,
    ...(typeof data.version === "string" ? { version: data.version } : {}),
    ...(typeof data.description === "string" ? { description: data.description } : {}),
  };
}
