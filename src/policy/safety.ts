/**
 * Protected paths (bypass-immune safety patterns). The list itself lives in the tool layer, which also checks the
 * path a write resolves to after symlinks; the policy matches it against a call's arguments.
 */
export {
  findSensitiveFile,
  findSensitiveTarget,
  SENSITIVE_PATTERNS,
  SENSITIVE_READ_PATTERNS,
} from "../tool/protected-paths.ts";

/** Reasons for safety-pattern decisions start with this, so messages can tell them apart. */
export const SENSITIVE_REASON_PREFIX = "touches a protected path";

/** Reasons for asking because the bash sandbox is wanted but unavailable start with this. */
export const SANDBOX_MISSING_PREFIX = "bash would run without its sandbox";
