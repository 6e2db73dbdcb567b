/** Public surface of the permission layer. */

export { splitBashCommand } from "../tool/shell/bash-split.ts";
export {
  type AskAnswer,
  type Asker,
  type AskRequest,
  formatAskPrompt,
  noTtyAsker,
  permissionDeniedMessage,
  ttyAsker,
} from "./ask.ts";
export { matchGlob } from "./glob.ts";
export { modeAtMost } from "./mode-order.ts";
export {
  DEFAULT_PERMISSION_MODE,
  isPermissionMode,
  PERMISSION_MODES,
  type PermissionMode,
  type PermissionRule,
} from "./modes.ts";
export { pathDenyFilter } from "./path-deny.ts";
export {
  mainArgument,
  type PermissionCall,
  type PermissionDecision,
  PermissionPolicy,
  type PermissionPolicyOptions,
  type PermissionResult,
} from "./permissions.ts";
export {
  findSensitiveFile,
  findSensitiveTarget,
  SENSITIVE_PATTERNS,
  SENSITIVE_READ_PATTERNS,
  SENSITIVE_REASON_PREFIX,
} from "./safety.ts";
export { describeRuleLine, sessionRuleFor } from "./session-rule.ts";
