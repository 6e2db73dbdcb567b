import { z } from "zod";
import { PERMISSION_MODES } from "../policy/modes.ts";
import { PROVIDER_NAMES } from "../provider/types.ts";
import { TASK_TYPES } from "../router/task.ts";
import { DEFAULT_SANDBOX_SETTINGS, SANDBOX_MODES } from "../tool/sandbox/settings.ts";

/**
 * The owlet configuration schema (TOML keys in snake_case), validated with zod strict objects: an unknown key
 * anywhere is an error. Layering and error reporting live in load.ts; this file only says what is valid.
 */

export { PROVIDER_NAMES } from "../provider/types.ts";
export { TASK_TYPES, type TaskType } from "../router/task.ts";

/** Prompt classifiers the router can use: the keyword heuristic or a small language model. */
export const CLASSIFIERS = ["heuristic", "slm"] as const;

/**
 * Built-in defaults (the lowest config layer). Sources: gnoma §10.4 (`permission.mode = "auto"`,
 * `tools.bash_timeout = 30s`, `tools.max_file_size = 1048576`), gnoma's `--max-turns 50`, and owlet's
 * ToolLimits (64 KiB captured bash output).
 */
export const CONFIG_DEFAULTS = {
  permission: { mode: "auto" },
  tools: {
    /** Seconds. */
    bash_timeout: 30,
    /** Bytes. */
    max_file_size: 1_048_576,
    /** Bytes. */
    max_output_bytes: 65_536,
  },
  session: { enabled: true, title: "auto", checkpoints: true },
  context: {
    /** Summary compaction when a request would pass `compact_threshold` of the prompt room. */
    compaction: true,
    /** Share (0–1) of the prompt room (window less margin and output reserve) at which a summary is written. */
    compact_threshold: 0.85,
  },
  router: { force_two_stage: false, local_only: false, classifier: "heuristic" },
  engine: {
    max_turns: 50,
    /** Seconds to open a TCP/TLS connection to a model server. */
    connect_timeout: 10,
    /** Seconds until a cloud model's first stream event (they answer in seconds; a silent server is stuck). */
    first_byte_timeout: 120,
    /** Seconds until a local model's first event: a CPU model may read a long prompt for minutes. */
    first_byte_timeout_local: 900,
    /** Seconds between stream events, cloud models. */
    idle_timeout: 90,
    /** Seconds between stream events, local models. */
    idle_timeout_local: 300,
    /** Seconds a whole turn may take (checked whenever owlet waits on a model), retries and failovers included. */
    turn_timeout: 3600,
  },
  batch: {
    /** Tries per queued task (the first included) before its result is an error. */
    attempts: 3,
    /** Ms before the first retry; doubles with `backoff = "exponential"`. */
    backoff_ms: 2000,
    backoff: "exponential",
    /** Ms a queue worker holds a task's lock (renewed at half of it); a worker silent for longer is taken as dead. */
    lock_ms: 30_000,
    /** Seconds one task's owlet run may take before it is stopped (status timeout). */
    task_timeout: 1800,
    /** Seconds a task's check command may take. */
    check_timeout: 300,
  },
} as const;

const positiveInt = () => z.int().positive();
const nonNegative = () => z.number().nonnegative();

/** Settings shared by `[provider.<name>]` tables. */
const providerEntryShape = {
  base_url: z.string().optional(),
  api_key: z.string().optional(),
  model: z.string().optional(),
  /** Tokens. */
  context_window: positiveInt().optional(),
};

const providerEntrySchema = z.strictObject(providerEntryShape);

/** `[provider.embedded]`: a GGUF file run in-process by node-llama-cpp. */
const embeddedProviderSchema = z.strictObject({
  ...providerEntryShape,
  /** Path of the GGUF model file. */
  model_path: z.string().optional(),
  /** Layers offloaded to the GPU; omit for node-llama-cpp's automatic choice. */
  gpu_layers: z.int().nonnegative().optional(),
  /** CPU threads for evaluation; default one fewer than the usable cores (see defaultThreads). */
  threads: z.int().positive().optional(),
});

const providerSchema = z.strictObject({
  /** The provider used when no arm or flag says otherwise. */
  default: z.enum(PROVIDER_NAMES).optional(),
  model: z.string().optional(),
  base_url: z.string().optional(),
  api_key: z.string().optional(),
  /** Tokens. */
  context_window: positiveInt().optional(),
  /** Tokens. */
  max_output_tokens: positiveInt().optional(),
  temperature: z.number().min(0).max(2).optional(),
  anthropic: providerEntrySchema.optional(),
  openai: providerEntrySchema.optional(),
  google: providerEntrySchema.optional(),
  mistral: providerEntrySchema.optional(),
  "openai-compatible": providerEntrySchema.optional(),
  llamacpp: providerEntrySchema.optional(),
  ollama: providerEntrySchema.optional(),
  lmstudio: providerEntrySchema.optional(),
  embedded: embeddedProviderSchema.optional(),
});

const routerSchema = z.strictObject({
  /** Always use two-stage tool routing (category first, then schemas). */
  force_two_stage: z.boolean().default(CONFIG_DEFAULTS.router.force_two_stage),
  /** Explicit on/off for two-stage tool routing; unset lets the engine decide per arm. */
  two_stage: z.boolean().optional(),
  /** Exclude cloud arms. */
  local_only: z.boolean().default(CONFIG_DEFAULTS.router.local_only),
  classifier: z.enum(CLASSIFIERS).default(CONFIG_DEFAULTS.router.classifier),
  /** Seed for the bandit's random draws (reproducible routing). */
  seed: z.int().optional(),
  /** Where the router keeps its learned state (JSON file). */
  state_path: z.string().optional(),
});

const permissionRuleSchema = z.strictObject({
  /** Glob over the tool name, e.g. `fs_*`, `bash`, `*`. */
  tool: z.string().min(1),
  /** Glob over the call's main argument (bash: command; fs tools: path; others: the JSON of the arguments). */
  pattern: z.string().optional(),
  action: z.enum(["allow", "deny"]),
});

const permissionSchema = z.strictObject({
  mode: z.enum(PERMISSION_MODES).default(CONFIG_DEFAULTS.permission.mode),
  rules: z.array(permissionRuleSchema).default(() => []),
});

const toolsSchema = z.strictObject({
  /** Seconds. */
  bash_timeout: z.number().positive().default(CONFIG_DEFAULTS.tools.bash_timeout),
  /** Bytes. */
  max_file_size: positiveInt().default(CONFIG_DEFAULTS.tools.max_file_size),
  /** Bytes. */
  max_output_bytes: positiveInt().default(CONFIG_DEFAULTS.tools.max_output_bytes),
  /**
   * Environment variables passed to commands although their names look secret (`*KEY*`, `*SECRET*`, `*TOKEN*`,
   * `*PASSWORD*`, `*CREDENTIAL*` are dropped otherwise); provider API keys are never passed.
   */
  env_allow: z.array(z.string()).default(() => []),
});

/** `[sandbox]`: how bash commands are sandboxed (see src/tool/sandbox/settings.ts). */
const sandboxSchema = z.strictObject({
  mode: z.enum(SANDBOX_MODES).default(DEFAULT_SANDBOX_SETTINGS.mode),
  /** Let sandboxed commands reach the network. */
  network: z.boolean().default(DEFAULT_SANDBOX_SETTINGS.network),
  /** Environment variable names passed into the sandbox besides PATH, HOME, LANG and TERM. */
  env: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"))
    .default(() => []),
});

/** `[batch]`: `owlet batch` and `owlet worker` (see src/batch/). */
const batchSchema = z.strictObject({
  attempts: positiveInt().default(CONFIG_DEFAULTS.batch.attempts),
  /** Ms. */
  backoff_ms: z.int().nonnegative().default(CONFIG_DEFAULTS.batch.backoff_ms),
  backoff: z.enum(["exponential", "fixed"]).default(CONFIG_DEFAULTS.batch.backoff),
  /** Ms. */
  lock_ms: z.int().min(1000).default(CONFIG_DEFAULTS.batch.lock_ms),
  /** Seconds. */
  task_timeout: z.number().positive().default(CONFIG_DEFAULTS.batch.task_timeout),
  /** Seconds. */
  check_timeout: z.number().positive().default(CONFIG_DEFAULTS.batch.check_timeout),
  /** Local workers; default the usable cores divided by the embedded model's threads (at least 1). */
  workers: positiveInt().optional(),
});

const sessionSchema = z.strictObject({
  enabled: z.boolean().default(CONFIG_DEFAULTS.session.enabled),
  /**
   * The session's title: `prompt` (its first prompt), `model` (a short one written by the arm in parallel with
   * the first turn, on cloud arms; local arms keep the prompt), `auto` (= `model`).
   */
  title: z.enum(["auto", "prompt", "model"]).default(CONFIG_DEFAULTS.session.title),
  /** Record files before tool calls change them, so `owlet undo` can restore them. */
  checkpoints: z.boolean().default(CONFIG_DEFAULTS.session.checkpoints),
});

/** `[context]`: how long conversations are kept within the window (issue 12). */
const contextSchema = z.strictObject({
  /** Summary compaction on/off (off: old rounds are only dropped). */
  compaction: z.boolean().default(CONFIG_DEFAULTS.context.compaction),
  /** Share of the prompt room at which a summary is written, 0.3–0.99. */
  compact_threshold: z.number().min(0.3).max(0.99).default(CONFIG_DEFAULTS.context.compact_threshold),
  /** The `[[arms]]` id of a (cheaper) arm that writes summaries and titles; default the turn's arm. */
  summary_arm: z.string().min(1).optional(),
});

const engineSchema = z.strictObject({
  /** Cap on model rounds per turn (gnoma's `--max-turns`, default 50). */
  max_turns: positiveInt().default(CONFIG_DEFAULTS.engine.max_turns),
  /** Seconds. */
  connect_timeout: z.number().positive().default(CONFIG_DEFAULTS.engine.connect_timeout),
  /** Seconds. */
  first_byte_timeout: z.number().positive().default(CONFIG_DEFAULTS.engine.first_byte_timeout),
  /** Seconds. */
  first_byte_timeout_local: z.number().positive().default(CONFIG_DEFAULTS.engine.first_byte_timeout_local),
  /** Seconds. */
  idle_timeout: z.number().positive().default(CONFIG_DEFAULTS.engine.idle_timeout),
  /** Seconds. */
  idle_timeout_local: z.number().positive().default(CONFIG_DEFAULTS.engine.idle_timeout_local),
  /** Seconds. */
  turn_timeout: z.number().positive().default(CONFIG_DEFAULTS.engine.turn_timeout),
});

/**
 * `[local_server]`: local model servers (llama.cpp, Ollama, vLLM, LM Studio, or an OpenAI-compatible server on
 * a loopback or listed URL). Every request carries a completion cap chosen by round kind (issue 16).
 */
const localServerSchema = z.strictObject({
  /** Tokens: a forced call whose tools take no free text (the two-stage category pick). Default 128. */
  max_tokens_select: positiveInt().optional(),
  /** Tokens: another forced call. Default 512. */
  max_tokens_call: positiveInt().optional(),
  /** Tokens: a round that offers a file-writing tool. Default 2048. */
  max_tokens_write: positiveInt().optional(),
  /** Tokens: any other round. Default 1024. */
  max_tokens_answer: positiveInt().optional(),
  /** Constrain forced rounds with the server's grammar / JSON-schema support. Default true. */
  constrain: z.boolean().optional(),
  /** llama.cpp `cache_prompt`. Default true. */
  cache_prompt: z.boolean().optional(),
  /** Seconds of generation per round (counted after the prompt is read); default from the cap at min_tokens_per_second, ≥ 30 s. */
  generation_seconds: z.number().positive().optional(),
  /** Tokens per second: the slowest generation the default time limit allows. Default 2. */
  min_tokens_per_second: z.number().positive().optional(),
  /** Base URLs (not loopback) of servers to treat as local arms, e.g. a GPU box on the LAN. */
  base_urls: z.array(z.string()).optional(),
});

const armLimitsSchema = z.strictObject({
  /** Requests per second. */
  rps: nonNegative().optional(),
  /** Requests per minute. */
  rpm: nonNegative().optional(),
  /** Requests per day. */
  rpd: nonNegative().optional(),
  /** Tokens per minute. */
  tpm: nonNegative().optional(),
  /** Tokens per calendar month. */
  tokens_month: nonNegative().optional(),
  /** USD per calendar month. */
  spend_cap: nonNegative().optional(),
});

const armShape = {
  id: z.string().min(1),
  provider: z.enum(PROVIDER_NAMES),
  model: z.string().min(1),
  base_url: z.string().optional(),
  api_key: z.string().optional(),
  /** Tokens. */
  context_window: positiveInt().optional(),
  /** Tokens. */
  max_output_tokens: positiveInt().optional(),
  /** False when the model cannot take native tool schemas. */
  tool_use: z.boolean().optional(),
  /** USD per 1M prompt tokens. */
  price_input: nonNegative().optional(),
  /** USD per 1M completion tokens. */
  price_output: nonNegative().optional(),
  strengths: z.array(z.enum(TASK_TYPES)).optional(),
  cost_weight: nonNegative().optional(),
  /** Highest task complexity (0–1) this arm should be given. */
  max_complexity: z.number().min(0).max(1).optional(),
  disabled: z.boolean().optional(),
  limits: armLimitsSchema.optional(),
};

/** A complete `[[arms]]` entry, as the merged config must hold it. */
const armSchema = z.strictObject(armShape);

/**
 * One layer's `[[arms]]` entry: only `id` is required, so a project file can override fields of an arm
 * defined in the user file (arms merge by id).
 */
const armLayerSchema = z.strictObject({
  ...armShape,
  provider: armShape.provider.optional(),
  model: armShape.model.optional(),
});

/**
 * Hook events, Claude Code's names (so `.claude/settings.json` hook blocks and their scripts carry over): tool
 * events take a matcher on the tool name.
 */
export const HOOK_EVENTS = [
  "PreToolUse",
  "PostToolUse",
  "UserPromptSubmit",
  "Stop",
  "SubagentStop",
  "SessionStart",
  "SessionEnd",
  "PreCompact",
  "Notification",
] as const;
/** One of {@link HOOK_EVENTS}. */
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** One `[[hooks.<Event>]]` entry: a shell command run with the event as JSON on stdin. */
const hookSchema = z.strictObject({
  /** Regex on the tool name (owlet's or Claude Code's, e.g. `bash` or `Bash`), whole name; absent or `*`: every tool. */
  matcher: z.string().optional(),
  /** Run with `sh -c` in the project root. */
  command: z.string().min(1),
  /** Ms before the hook is killed (then it counts as a non-blocking error). Default 60 000. */
  timeout_ms: positiveInt().optional(),
});

const hooksSchema = z.strictObject(
  Object.fromEntries(HOOK_EVENTS.map((event) => [event, z.array(hookSchema).optional()])) as Record<
    HookEvent,
    z.ZodOptional<z.ZodArray<typeof hookSchema>>
  >,
);

/** A name usable in `mcp__<server>__<tool>`: letters, digits, `_` and `-`. */
const MCP_SERVER_NAME = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * `[mcp_servers.NAME]`: an MCP server, started by command (stdio) or reached by URL (Streamable HTTP, or the
 * older HTTP+SSE transport with `transport = "sse"`). Exactly one of `command` and `url` must be set once the
 * layers are merged (checked where the servers are built, so a project layer may set `enabled = false` alone).
 */
const mcpServerSchema = z.strictObject({
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  /** Extra environment for the server process (the rest is the MCP SDK's safe default set). */
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
  url: z.url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** For `url`: `streamable-http` (default; falls back to `sse` when the server only speaks that) or `sse`. */
  transport: z.enum(["streamable-http", "sse"]).optional(),
  enabled: z.boolean().optional(),
  /** Ms for each request to the server (and for its start, unless start_timeout_ms is set). Default 60 000. */
  timeout_ms: positiveInt().optional(),
  /** Ms for starting the server (spawn or connect, initialize, list its tools). Default: timeout_ms. */
  start_timeout_ms: positiveInt().optional(),
});

/** `[agents]`: subagents (the `agent` tool). */
const agentsSchema = z.strictObject({
  /** Read-only subagents that may run at once. Default 3. */
  max_parallel: positiveInt().default(3),
  /** Offer the `agent` tool at all. Default true. */
  enabled: z.boolean().default(true),
  /**
   * Offer it to small local arms under two-stage routing too. Default false: a small model does better with
   * fewer steps to pick from (subagents on local arms, named by an agent's `model`, work either way).
   */
  small_local: z.boolean().default(false),
});

function buildConfigSchema<A extends z.ZodType>(arm: A) {
  return z.strictObject({
    provider: providerSchema.prefault({}),
    router: routerSchema.prefault({}),
    permission: permissionSchema.prefault({}),
    tools: toolsSchema.prefault({}),
    sandbox: sandboxSchema.prefault({}),
    session: sessionSchema.prefault({}),
    context: contextSchema.prefault({}),
    engine: engineSchema.prefault({}),
    local_server: localServerSchema.prefault({}),
    batch: batchSchema.prefault({}),
    arms: z.array(arm).default(() => []),
    hooks: hooksSchema.prefault({}),
    mcp_servers: z
      .record(
        z.string().regex(MCP_SERVER_NAME, "an MCP server name ([A-Za-z0-9_-], at most 32)"),
        mcpServerSchema,
      )
      .default(() => ({})),
    agents: agentsSchema.prefault({}),
  });
}

/** Schema of the merged configuration; its output (defaults filled in) is {@link OwletConfig}. */
export const owletConfigSchema = buildConfigSchema(armSchema);

/** Schema one config layer (one file, the environment, the flags) must satisfy before merging. */
export const configLayerSchema = buildConfigSchema(armLayerSchema);

/** The validated configuration, defaults filled in. Durations in seconds, sizes in bytes, windows in tokens. */
export type OwletConfig = z.output<typeof owletConfigSchema>;
/** One `[[arms]]` entry of {@link OwletConfig}. */
export type ArmConfig = z.output<typeof armSchema>;
/** One `[[permission.rules]]` entry of {@link OwletConfig}. */
export type PermissionRuleConfig = z.output<typeof permissionRuleSchema>;
/** One `[[hooks.<Event>]]` entry of {@link OwletConfig}. */
export type HookConfig = z.output<typeof hookSchema>;
/** One `[mcp_servers.NAME]` table of {@link OwletConfig}. */
export type McpServerConfig = z.output<typeof mcpServerSchema>;
/** The `[provider.<name>]` table type (embedded adds model_path and gpu_layers). */
export type ProviderEntryConfig = z.output<typeof embeddedProviderSchema>;
