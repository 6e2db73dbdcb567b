import { randomBytes } from "node:crypto";

/** Session ids: `YYYYMMDD-HHMMSS-<6 hex>` (UTC creation time plus 3 random bytes), e.g. `20261122-021500-a3f09c`. */
export const SESSION_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

/** A new session id for `now` (UTC). */
export function newSessionId(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}-${time}-${randomBytes(3).toString("hex")}`;
}

/**
 * Checks that `id` is a well-formed session id (which also rules out path traversal: no `/`, `..` or NUL can
 * pass). Throws an Error saying what a valid id looks like otherwise.
 */
export function assertSessionId(id: string): void {
  if (!SESSION_ID_PATTERN.test(id)) {
    const shown = JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);
    throw new Error(
      `invalid session id ${shown}: expected YYYYMMDD-HHMMSS-xxxxxx (6 lowercase hex digits), e.g. 20261122-021500-a3f09c; ` +
        "session files are .owlet/sessions/<id>.jsonl in the project; use --continue for the latest",
    );
  }
}
