/** Public surface of the session layer. */
export { assertSessionId, newSessionId, SESSION_ID_PATTERN } from "./id.ts";
export { lockSession, releaseSessionLock, SessionBusyError } from "./lock.ts";
export {
  type ChangeRecord,
  SESSION_FORMAT_VERSION,
  type SessionMeta,
  type SessionRecord,
  type SummaryRecord,
  type TitleRecord,
  type TurnRecord,
} from "./records.ts";
export {
  type NewSessionMeta,
  type NewSummary,
  type Session,
  type SessionInfo,
  type SessionSnapshot,
  SessionStore,
  type SubagentTranscript,
  SymlinkedStateError,
} from "./store.ts";
