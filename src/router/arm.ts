import type { ArmHandle } from "../engine/routing.ts";
import { isLocalArm } from "../provider/local-arm.ts";
import { PROVIDER_NAMES, type Provider, type ProviderName } from "../provider/types.ts";
import { parseTaskType, type TaskType } from "./task.ts";

/** Per-arm rate limits and budgets; every field optional (absent = unlimited). */
export interface ArmLimits {
  /** Requests per second. */
  rps?: number;
  /** Requests per minute. */
  rpm?: number;
  /** Requests per day (resets at local midnight). */
  rpd?: number;
  /** Tokens (prompt + completion) per minute. */
  tpm?: number;
  /** Tokens per calendar month. */
  tokensPerMonth?: number;
  /** Spend cap in USD per calendar month. */
  spendCap?: number;
}

/** An arm's static description: provider + model and its capabilities, prices and routing hints. */
export interface ArmSpec {
  /** Stable id, `<provider>/<model>` unless configured otherwise. */
  id: string;
  provider: ProviderName;
  model: string;
  baseURL?: string;
  /** API key from the `[[arms]]` row (`api_key`), for `makeProvider`; never logged, never persisted. */
  apiKey?: string;
  /** True for llamacpp/ollama/lmstudio/embedded or a loopback base URL (see `isLocalArm`). */
  local: boolean;
  /** Native tool schemas supported. */
  toolUse: boolean;
  /** Context window in tokens. */
  contextWindow?: number;
  /** Largest output in tokens. */
  maxOutputTokens?: number;
  vision?: boolean;
  reasoning?: boolean;
  /** USD per 1M prompt tokens (0 or absent for local arms). */
  priceInputPerMTok?: number;
  /** USD per 1M completion tokens. */
  priceOutputPerMTok?: number;
  /** Task types this arm is known to be good at (a prior bonus in the bandit). */
  strengths: TaskType[];
  /** How strongly cost counts against this arm: 0 ignores cost, 1 default, 2 extra frugal. */
  costWeight: number;
  /** Highest task complexity (0–1) this arm accepts; absent = no ceiling. */
  maxComplexity?: number;
  /** Excluded from automatic routing (still usable when forced). */
  disabled?: boolean;
  /** Pinned by `--provider/--model`: always chosen while feasible under local-only. */
  forced?: boolean;
  limits?: ArmLimits;
}

/** An arm the router can route to: its spec plus the engine-facing handle (which carries the Provider). */
export type Arm = ArmSpec & { handle: ArmHandle };

/** Builds the Provider for an arm; injected by the CLI (the router never constructs providers itself). */
export type MakeProvider = (spec: ArmSpec) => Provider;

/** True for llamacpp/ollama/lmstudio/embedded or a loopback base URL (the provider layer's rule). */
export { isLocalArm };

/** Thrown for an invalid `[[arms]]` row; the message names the row and the field and says what to write. */
export class ArmConfigError extends Error {
  override name = "ArmConfigError";
}

/**
 * One `[[arms]]` row from config (snake_case, as parsed from TOML). Fields: id, provider, model, base_url, api_key,
 * context_window, max_output_tokens, tool_use, vision, reasoning, price_input, price_output (USD per 1M
 * tokens), strengths (task type names), cost_weight, max_complexity, disabled,
 * limits { rps, rpm, rpd, tpm, tokens_month, spend_cap }.
 */
export type ArmConfigRow = Record<string, unknown>;

/**
 * Validates one `[[arms]]` row into an ArmSpec. `index` (0-based) appears in error messages.
 * Throws ArmConfigError for a missing provider/model, an unknown provider, a non-numeric number, an
 * unknown strength name or a max_complexity outside 0–1.
 */
export function armSpecFromConfig(row: ArmConfigRow, index = 0): ArmSpec {
  const where = `[[arms]] #${index + 1}${typeof row.id === "string" ? ` (id "${row.id}")` : ""}`;
  const str = (k: string): string | undefined => {
    const v = row[k];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v === "")
      throw new ArmConfigError(`${where}: ${k} must be a non-empty string`);
    return v;
  };
  const num = (v: unknown, k: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new ArmConfigError(`${where}: ${k} must be a number ≥ 0, got ${JSON.stringify(v)}`);
    return v;
  };
  const bool = (k: string): boolean | undefined => {
    const v = row[k];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") throw new ArmConfigError(`${where}: ${k} must be true or false`);
    return v;
  };
  const provider = str("provider");
  const model = str("model");
  if (!provider)
    throw new ArmConfigError(`${where}: provider is required (one of ${PROVIDER_NAMES.join(", ")})`);
  if (!PROVIDER_NAMES.includes(provider as ProviderName))
    throw new ArmConfigError(
      `${where}: unknown provider "${provider}"; use one of ${PROVIDER_NAMES.join(", ")}`,
    );
  if (!model) throw new ArmConfigError(`${where}: model is required, e.g. model = "qwen2.5-coder-7b"`);
  const baseURL = str("base_url");
  const apiKey = str("api_key");
  const strengthsRaw = row.strengths ?? [];
  if (!Array.isArray(strengthsRaw))
    throw new ArmConfigError(`${where}: strengths must be a list of task types`);
  const strengths = strengthsRaw.map((s) => {
    const t = typeof s === "string" ? parseTaskType(s) : undefined;
    if (!t)
      throw new ArmConfigError(
        `${where}: unknown strength ${JSON.stringify(s)}; use task types such as "debug", "refactor", "unit_test"`,
      );
    return t;
  });
  const maxComplexity = num(row.max_complexity, "max_complexity");
  if (maxComplexity !== undefined && maxComplexity > 1)
    throw new ArmConfigError(`${where}: max_complexity must be between 0 and 1, got ${maxComplexity}`);
  const limitsRow = row.limits;
  if (
    limitsRow !== undefined &&
    (typeof limitsRow !== "object" || limitsRow === null || Array.isArray(limitsRow))
  )
    throw new ArmConfigError(`${where}: limits must be a table, e.g. limits = { rpm = 50 }`);
  const l = (limitsRow ?? {}) as Record<string, unknown>;
  const limits: ArmLimits = dropUndefined({
    rps: num(l.rps, "limits.rps"),
    rpm: num(l.rpm, "limits.rpm"),
    rpd: num(l.rpd, "limits.rpd"),
    tpm: num(l.tpm, "limits.tpm"),
    tokensPerMonth: num(l.tokens_month, "limits.tokens_month"),
    spendCap: num(l.spend_cap, "limits.spend_cap"),
  });
  const p = provider as ProviderName;
  return dropUndefined({
    id: str("id") ?? `${p}/${model}`,
    provider: p,
    model,
    baseURL,
    apiKey,
    local: isLocalArm(p, baseURL),
    toolUse: bool("tool_use") ?? true,
    contextWindow: num(row.context_window, "context_window"),
    maxOutputTokens: num(row.max_output_tokens, "max_output_tokens"),
    vision: bool("vision"),
    reasoning: bool("reasoning"),
    priceInputPerMTok: num(row.price_input, "price_input"),
    priceOutputPerMTok: num(row.price_output, "price_output"),
    strengths,
    costWeight: num(row.cost_weight, "cost_weight") ?? 1,
    maxComplexity,
    disabled: bool("disabled"),
    limits: Object.keys(limits).length > 0 ? limits : undefined,
  }) as ArmSpec;
}

/**
 * Validates all `[[arms]]` rows. Throws ArmConfigError on the first bad row, or when two rows share an id.
 */
export function armSpecsFromConfig(rows: readonly ArmConfigRow[]): ArmSpec[] {
  const specs = rows.map((r, i) => armSpecFromConfig(r, i));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.id))
      throw new ArmConfigError(`[[arms]]: id "${s.id}" appears twice; give each arm its own id`);
    seen.add(s.id);
  }
  return specs;
}

/**
 * Merges specs from several sources (discovered local servers, embedded model, config rows, the
 * `--provider/--model` arm) by id: later entries override earlier fields they set, so a config row can
 * add prices or strengths to a discovered arm. Order of first appearance is kept.
 */
export function mergeArmSpecs(...lists: readonly (readonly Partial<ArmSpec>[])[]): ArmSpec[] {
  const byId = new Map<string, Partial<ArmSpec>>();
  for (const list of lists)
    for (const s of list) {
      if (!s.id) throw new ArmConfigError("arm without an id: every arm needs an id");
      byId.set(s.id, { ...byId.get(s.id), ...dropUndefined(s) });
    }
  return [...byId.values()].map((s) => {
    if (!s.provider || !s.model) throw new ArmConfigError(`arm "${s.id}": provider and model are required`);
    return {
      strengths: [],
      costWeight: 1,
      toolUse: true,
      local: isLocalArm(s.provider, s.baseURL),
      ...s,
    } as ArmSpec;
  });
}

/** Attaches an engine handle (with the Provider from `makeProvider`) to each spec. */
export function buildArms(specs: readonly ArmSpec[], makeProvider: MakeProvider): Arm[] {
  return specs.map((spec) => ({ ...spec, handle: handleFor(spec, makeProvider(spec)) }));
}

/** The engine-facing handle of an arm. */
export function handleFor(spec: ArmSpec, provider: Provider): ArmHandle {
  return dropUndefined({
    id: spec.id,
    provider,
    model: spec.model,
    local: spec.local,
    contextWindow: spec.contextWindow,
    maxOutputTokens: spec.maxOutputTokens,
    toolUse: spec.toolUse,
  }) as ArmHandle;
}

/** Expected USD cost of one request of `promptTokens` in and `completionTokens` out (0 when unpriced). */
export function requestCostUSD(spec: ArmSpec, promptTokens: number, completionTokens: number): number {
  return (
    (promptTokens * (spec.priceInputPerMTok ?? 0) + completionTokens * (spec.priceOutputPerMTok ?? 0)) /
    1_000_000
  );
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
