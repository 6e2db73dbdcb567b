/** Public surface of the session layer. */
export { assertSessionId, newSessionId, SESSION_ID_PATTERN } from "./id.ts";
export { lockSession, releaseSessionLock, SessionBusyError } from "./lock.ts";
export { SESSION_FORMAT_VERSION, type SessionMeta, type SessionRecord } from "./records.ts";
export {
  type NewSessionMeta,
  type Session,
  type SessionInfo,
  SessionStore,
  type SubagentTranscript,
  SymlinkedStateError,
} from "./store.ts";
