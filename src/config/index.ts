/** Public surface of the config layer: schema and defaults, loading, API keys, project root, errors. */
export { apiKeyEnvNames, resolveApiKey } from "./api-key.ts";
export { ConfigError } from "./errors.ts";
export {
  type FlagOverrides,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  userConfigPath,
} from "./load.ts";
export { findProjectRoot } from "./project-root.ts";
export {
  type ArmConfig,
  CLASSIFIERS,
  CONFIG_DEFAULTS,
  configLayerSchema,
  type OwletConfig,
  owletConfigSchema,
  type PermissionRuleConfig,
  PROVIDER_NAMES,
  type ProviderEntryConfig,
  TASK_TYPES,
  type TaskType,
} from "./schema.ts";
export {
  canonicalFolder,
  isTrustedFolder,
  readTrustedFolders,
  revokeFolder,
  trustFilePath,
  trustFolder,
  userConfigDir,
} from "./trust.ts";
export { restrictUntrusted } from "./untrusted.ts";
