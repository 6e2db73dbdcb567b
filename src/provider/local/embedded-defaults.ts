/**
 * Context size (tokens) the embedded runtime allocates when none is asked for; the model's training context
 * caps it. Kept apart from embedded.ts so callers can read it without loading node-llama-cpp.
 */
export const DEFAULT_EMBEDDED_CONTEXT = 8192;
