import type { Message, Usage } from "../message/types.ts";

/** Version of the session file format written in the meta record. */
export const SESSION_FORMAT_VERSION = 1;

/** What a session was started with. `created_at` is an ISO 8601 UTC timestamp. */
export interface SessionMeta {
  id: string;
  created_at: string;
  provider: string;
  model: string;
  /** Absolute working directory the session started in. */
  cwd: string;
  version: number;
}

/**
 * A summary compaction (see engine/compaction.ts): in the session's view, the first `through` message records
 * are replaced by this summary (and, when set, the current turn's prompt it carries). The latest summary record
 * wins; the full history stays in the file. `usage` is what writing it cost (tokens), `tokens_before`/`_after`
 * the history's size around it by the engine's counter (tokens).
 */
export interface SummaryRecord {
  type: "summary";
  summary: string;
  through: number;
  prompt?: string;
  trigger: "auto" | "manual";
  arm: string;
  usage: Usage;
  tokens_before: number;
  tokens_after: number;
}

/** The start of a turn: its 1-based number, the messages stored before it (`at`) and its prompt (≤ 200 chars). */
export interface TurnRecord {
  type: "turn";
  turn: number;
  at: number;
  prompt: string;
  /** ISO 8601 UTC. */
  started_at: string;
}

/** The session's title: its first prompt (`prompt`) or a short one a model wrote (`model`). */
export interface TitleRecord {
  type: "title";
  title: string;
  source: "prompt" | "model";
}

/**
 * A file a tool call of `turn` was about to change, recorded before the call ran (checkpoints): `path` relative
 * to the workspace, `before` the blob id of its content in the checkpoint store (null: the file did not exist),
 * `mode` its git file mode (`100644`, `100755`, `120000` for a symlink) when it existed.
 */
export interface ChangeRecord {
  type: "change";
  turn: number;
  tool: string;
  call: string;
  path: string;
  before: string | null;
  mode?: string;
}

/**
 * One line of a session file (JSON Lines): a meta record first, then message, usage, summary, turn, title,
 * change records in the order they happened, and a subagent record for each subagent run, linking its transcript. `round` is the round of its turn the usage belongs to (1-based; 0
 * for a summary written outside a turn) and `arm` the arm id that served it (after a failover it differs from
 * the meta record's provider/model); usage counts are tokens, `cost_usd` its price when the arm's is known.
 */
export type SessionRecord =
  | ({ type: "meta" } & SessionMeta)
  | { type: "message"; message: Message }
  | { type: "usage"; usage: Usage; round: number; arm?: string; cost_usd?: number }
  | SummaryRecord
  | TurnRecord
  | TitleRecord
  | ChangeRecord
  /** A subagent's run: its id, the agent definition it used, its task, and its transcript file (absolute). */
  | { type: "subagent"; agent_id: string; agent: string; description: string; path: string };

/** True when `value` is a subagent link record (see SessionRecord). */
export function isSubagentRecord(value: unknown): boolean {
  return (
    isObject(value) &&
    value.type === "subagent" &&
    typeof value.agent_id === "string" &&
    typeof value.path === "string"
  );
}

/** True for a well-formed summary record. */
export function isSummaryRecord(value: unknown): value is SummaryRecord {
  return (
    isObject(value) &&
    value.type === "summary" &&
    typeof value.summary === "string" &&
    Number.isInteger(value.through) &&
    value.through >= 0
  );
}

/** True for a well-formed turn record. */
export function isTurnRecord(value: unknown): value is TurnRecord {
  return (
    isObject(value) &&
    value.type === "turn" &&
    Number.isInteger(value.turn) &&
    value.turn >= 1 &&
    Number.isInteger(value.at) &&
    typeof value.prompt === "string"
  );
}

/** True for a well-formed title record. */
export function isTitleRecord(value: unknown): value is TitleRecord {
  return isObject(value) && value.type === "title" && typeof value.title === "string";
}

/** True for a well-formed change record. */
export function isChangeRecord(value: unknown): value is ChangeRecord {
  return (
    isObject(value) &&
    value.type === "change" &&
    Number.isInteger(value.turn) &&
    typeof value.path === "string" &&
    (value.before === null || typeof value.before === "string")
  );
}

/** True when `value` looks like a message record (role and content array present). */
export function isMessageRecord(value: unknown): value is { type: "message"; message: Message } {
  if (!isObject(value) || value.type !== "message" || !isObject(value.message)) return false;
  const { role, content } = value.message;
  return (role === "user" || role === "assistant") && Array.isArray(content);
}

/** True when `value` looks like a usage record (token counts are numbers). */
export function isUsageRecord(
  value: unknown,
): value is { type: "usage"; usage: Usage; round: number; arm?: string; cost_usd?: number } {
  if (!isObject(value) || value.type !== "usage" || !isObject(value.usage)) return false;
  return typeof value.usage.inputTokens === "number" && typeof value.usage.outputTokens === "number";
}

/** True when `value` is a meta record of a supported version. */
export function isMetaRecord(value: unknown): value is { type: "meta" } & SessionMeta {
  return (
    isObject(value) &&
    value.type === "meta" &&
    typeof value.id === "string" &&
    typeof value.created_at === "string" &&
    typeof value.provider === "string" &&
    typeof value.model === "string" &&
    typeof value.cwd === "string" &&
    value.version === SESSION_FORMAT_VERSION
  );
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
