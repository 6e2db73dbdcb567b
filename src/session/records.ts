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
 * One line of a session file (JSON Lines): a meta record first, then message and usage records in the order
 * they happened, and a subagent record for each subagent run, linking its transcript. `round` is the round of its turn the usage belongs to (1-based) and `arm` the arm id that served it (after a
 * failover it differs from the meta record's provider/model); usage counts are tokens.
 */
export type SessionRecord =
  | ({ type: "meta" } & SessionMeta)
  | { type: "message"; message: Message }
  | { type: "usage"; usage: Usage; round: number; arm?: string }
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

/** True when `value` looks like a message record (role and content array present). */
export function isMessageRecord(value: unknown): value is { type: "message"; message: Message } {
  if (!isObject(value) || value.type !== "message" || !isObject(value.message)) return false;
  const { role, content } = value.message;
  return (role === "user" || role === "assistant") && Array.isArray(content);
}

/** True when `value` looks like a usage record (token counts are numbers). */
export function isUsageRecord(
  value: unknown,
): value is { type: "usage"; usage: Usage; round: number; arm?: string } {
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
