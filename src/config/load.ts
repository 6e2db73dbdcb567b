import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { DEFAULT_PERMISSION_MODE, type PermissionMode } from "../policy/modes.ts";
import { ConfigError, formatKeyPath, locationPrefix } from "./errors.ts";
import { expandVariables, isTable } from "./expand.ts";
import { describeIssue } from "./issues.ts";
import { findKeyLine } from "./locate.ts";
import { mergeLayers } from "./merge.ts";
import { ceilingsFromEnv, findProjectRoot } from "./project-root.ts";
import { configLayerSchema, type OwletConfig, owletConfigSchema } from "./schema.ts";
import { isTrustedFolder } from "./trust.ts";
import { restrictUntrusted } from "./untrusted.ts";
import { userConfigPath } from "./user-path.ts";

export { userConfigPath } from "./user-path.ts";

/**
 * Command-line overrides, the highest config layer. Strings that must be one of a fixed set (provider,
 * permissionMode) are validated here, so the CLI may pass them through raw.
 */
export interface FlagOverrides {
  /** `--provider`: sets `provider.default`. */
  provider: string;
  /** `--model`: sets `provider.model`. */
  model: string;
  /** `--base-url`: sets `provider.base_url`. */
  baseURL: string;
  /** `--api-key`: sets `provider.api_key`. */
  apiKey: string;
  /** `--context-window` (tokens): sets `provider.context_window`. */
  contextWindow: number;
  /** `--max-turns`: sets `engine.max_turns`. */
  maxTurns: number;
  /** `--permission-mode`: sets `permission.mode`. */
  permissionMode: string;
  /** `--two-stage` / `--no-two-stage`: sets `router.two_stage`. */
  twoStage: boolean;
  /** `--sandbox`: sets `sandbox.mode`. */
  sandbox: string;
}

/** The loaded configuration, the project root it was resolved against and the config files actually read. */
export interface LoadedConfig {
  config: OwletConfig;
  /** Absolute; see findProjectRoot. */
  projectRoot: string;
  /** Absolute paths of the files read, lowest layer first. */
  files: string[];
  /** Whether the project folder is trusted (see trust.ts), and what its config set that was ignored for it. */
  trust: { trusted: boolean; ignored: string[]; projectFile?: string };
}

/** Options of {@link loadConfig}. `env` defaults to `process.env`. */
export interface LoadConfigOptions {
  cwd: string;
  /** `--config <file>`, relative to `cwd`; must exist. */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<FlagOverrides>;
  /** Whether the project root is a trusted folder; default isTrustedFolder (the user's trusted-folders.json). */
  isTrusted?: (projectRoot: string) => boolean;
}

/** One validated layer before merging, with what is needed to point at its keys in error messages. */
interface Layer {
  data: Record<string, unknown>;
  file?: string;
  text?: string;
  /** For the environment and flag layers: the variable or flag that set a dotted key. */
  sourceOf?: Record<string, string>;
}

const FLAG_KEYS: Record<keyof FlagOverrides, { path: [string, string]; flag: string }> = {
  provider: { path: ["provider", "default"], flag: "--provider" },
  model: { path: ["provider", "model"], flag: "--model" },
  baseURL: { path: ["provider", "base_url"], flag: "--base-url" },
  apiKey: { path: ["provider", "api_key"], flag: "--api-key" },
  contextWindow: { path: ["provider", "context_window"], flag: "--context-window" },
  maxTurns: { path: ["engine", "max_turns"], flag: "--max-turns" },
  permissionMode: { path: ["permission", "mode"], flag: "--permission-mode" },
  twoStage: { path: ["router", "two_stage"], flag: "--two-stage" },
  sandbox: { path: ["sandbox", "mode"], flag: "--sandbox" },
};

const ENV_KEYS: Record<string, [string, string]> = {
  OWLET_PROVIDER: ["provider", "default"],
  OWLET_MODEL: ["provider", "model"],
};

/**
 * Loads the configuration, layering low → high: built-in defaults (CONFIG_DEFAULTS), the user file
 * (userConfigPath), `<projectRoot>/.owlet/config.toml`, the `--config` file, the environment (`OWLET_PROVIDER`,
 * `OWLET_MODEL`), then `flags`. Tables merge deeply, `[[arms]]` merge by id, `[[permission.rules]]` append.
 * `${VAR}` expands in every string value of every file. API keys are not read from the environment here (see
 * api-key.ts). As in gnoma's config layering (§10.4), without profiles. In a project folder that is not trusted
 * (`owlet trust`, see trust.ts) the project file's keys that would raise permissions or redirect credentials are
 * dropped (see restrictUntrusted) and listed in `trust.ignored`; a project file named with `--config` counts as
 * trusted.
 *
 * Throws ConfigError (exit code 2 in the CLI) when the `--config` file is missing, a file cannot be read or is
 * not valid TOML, a key is unknown or has the wrong type (message `<file>:<line>: …` naming the dotted key), a
 * `${VAR}` is unset, an arm id repeats within a file, or a merged arm lacks provider or model.
 */
export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const cwd = resolve(opts.cwd);
  const projectRoot = findProjectRoot(cwd, ceilingsFromEnv(env));

  const candidates: string[] = [];
  const projectFile = join(projectRoot, ".owlet", "config.toml");
  for (const path of [userConfigPath(env), projectFile]) {
    if (existsSync(path)) candidates.push(path);
  }
  if (opts.configFile !== undefined) {
    const path = resolve(cwd, opts.configFile);
    if (!existsSync(path)) {
      throw new ConfigError(`config file not found: ${path} (given with --config); check the path`, {
        file: path,
      });
    }
    candidates.push(path);
  }

  const files: string[] = [];
  const seen = new Set<string>();
  const layers: Layer[] = [];
  for (const file of candidates) {
    const real = realpathSync(file);
    if (seen.has(real)) continue;
    seen.add(real);
    layers.push(readFileLayer(file, env));
    files.push(file);
  }
  layers.push(envLayer(env));
  layers.push(flagLayer(opts.flags ?? {}));
  for (const layer of layers) validateLayer(layer);

  // An untrusted project's own file may only tighten permissions (see untrusted.ts).
  const trust: LoadedConfig["trust"] = { trusted: true, ignored: [] };
  const projectIndex = files.indexOf(projectFile);
  if (
    projectIndex >= 0 &&
    !(opts.configFile !== undefined && resolve(cwd, opts.configFile) === projectFile)
  ) {
    trust.projectFile = projectFile;
    trust.trusted = (opts.isTrusted ?? ((root) => isTrustedFolder(root, env)))(projectRoot);
    if (!trust.trusted) {
      let below: Record<string, unknown> = {};
      for (const layer of layers.slice(0, projectIndex)) below = mergeLayers(below, layer.data);
      const inherited =
        (below.permission as { mode?: PermissionMode } | undefined)?.mode ?? DEFAULT_PERMISSION_MODE;
      const restricted = restrictUntrusted(layers[projectIndex]!.data, inherited);
      layers[projectIndex]!.data = restricted.data;
      trust.ignored = restricted.ignored;
    }
  }

  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeLayers(merged, layer.data);
  const config = validateMerged(merged, layers);
  return { config, projectRoot, files, trust };
}

function readFileLayer(file: string, env: NodeJS.ProcessEnv): Layer {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${file}: cannot read config file: ${reason}`, { file });
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(text, { unsafeKeyBehaviour: "throw" }) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const [first, ...rest] = error.message.split("\n");
      const problem = (first ?? "").replace(/^Invalid TOML document:\s*/, "");
      const context = rest.join("\n").trimEnd();
      throw new ConfigError(
        `${file}:${error.line}: invalid TOML: ${problem} (column ${error.column})${context ? `\n${context}` : ""}`,
        { file, line: error.line },
      );
    }
    throw error;
  }
  const data = expandVariables(parsed, env, { file, text }) as Record<string, unknown>;
  return { data, file, text };
}

function envLayer(env: NodeJS.ProcessEnv): Layer {
  const data: Record<string, unknown> = {};
  const sourceOf: Record<string, string> = {};
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value) {
      setPath(data, path, value);
      sourceOf[path.join(".")] = `environment variable ${name}`;
    }
  }
  return { data, sourceOf };
}

function flagLayer(flags: Partial<FlagOverrides>): Layer {
  const data: Record<string, unknown> = {};
  const sourceOf: Record<string, string> = {};
  for (const [name, { path, flag }] of Object.entries(FLAG_KEYS)) {
    const value = flags[name as keyof FlagOverrides];
    if (value !== undefined) {
      setPath(data, path, value);
      sourceOf[path.join(".")] = flag;
    }
  }
  return { data, sourceOf };
}

function setPath(data: Record<string, unknown>, path: [string, string], value: unknown): void {
  const [table, key] = path;
  const existing = data[table];
  const target = isTable(existing) ? existing : {};
  target[key] = value;
  data[table] = target;
}

/** Where a problem at `path` in `layer` comes from, as a message prefix and ConfigError fields. */
function locate(layer: Layer, path: (string | number)[]): { prefix: string; file?: string; line?: number } {
  if (layer.file !== undefined && layer.text !== undefined) {
    const line = findKeyLine(layer.text, path);
    return {
      prefix: locationPrefix(layer.file, line),
      file: layer.file,
      ...(line === undefined ? {} : { line }),
    };
  }
  const source = layer.sourceOf?.[formatKeyPath(path)];
  return { prefix: source ? `${source}: ` : "" };
}

function validateLayer(layer: Layer): void {
  const result = configLayerSchema.safeParse(layer.data);
  if (!result.success) {
    const located = result.error.issues.map((issue) => {
      const problem = describeIssue(issue, layer.data, configLayerSchema);
      return { problem, where: locate(layer, problem.path) };
    });
    located.sort(
      (a, b) => (a.where.line ?? Number.MAX_SAFE_INTEGER) - (b.where.line ?? Number.MAX_SAFE_INTEGER),
    );
    const first = located[0]!;
    const more =
      located.length > 1 ? ` (and ${located.length - 1} more problem${located.length > 2 ? "s" : ""})` : "";
    throw new ConfigError(`${first.where.prefix}${first.problem.message}${more}`, {
      ...first.where,
      key: first.problem.key,
    });
  }
  const arms = layer.data.arms;
  if (Array.isArray(arms)) {
    const seen = new Set<unknown>();
    arms.forEach((arm, index) => {
      const id = isTable(arm) ? arm.id : undefined;
      if (seen.has(id)) {
        const where = locate(layer, ["arms", index, "id"]);
        throw new ConfigError(
          `${where.prefix}duplicate arm id "${String(id)}"; arm ids must be unique in a file`,
          {
            ...where,
            key: `arms[${index}].id`,
          },
        );
      }
      seen.add(id);
    });
  }
}

function validateMerged(merged: Record<string, unknown>, layers: Layer[]): OwletConfig {
  const result = owletConfigSchema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const problem = describeIssue(issue, merged, owletConfigSchema);
  const [top, index, field] = problem.path;
  const arms = merged.arms;
  if (top === "arms" && typeof index === "number" && Array.isArray(arms)) {
    const arm = arms[index];
    const id = isTable(arm) ? String(arm.id) : String(index);
    // Point at the last file that mentions this arm.
    for (const layer of [...layers].reverse()) {
      const layerArms = layer.data.arms;
      if (!Array.isArray(layerArms) || layer.file === undefined) continue;
      const fileIndex = layerArms.findIndex(
        (entry) => isTable(entry) && entry.id === (isTable(arm) ? arm.id : id),
      );
      if (fileIndex < 0) continue;
      const where = locate(layer, ["arms", fileIndex]);
      const what =
        field !== undefined && problem.message.endsWith("is required but missing")
          ? `has no "${String(field)}" in any config file; set it in one of its [[arms]] entries`
          : problem.message;
      throw new ConfigError(`${where.prefix}arm "${id}" ${what}`, { ...where, key: problem.key });
    }
  }
  throw new ConfigError(`configuration: ${problem.message}`, { key: problem.key });
}
