import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Outputs of at least this many UTF-8 bytes are saved to a file (gnoma §4.7). */
export const RESULT_STORE_THRESHOLD_BYTES = 1024;
/** Characters (code points) of a saved output kept inline as a preview (gnoma §4.7). */
export const RESULT_PREVIEW_CHARS = 2000;

/**
 * Saves large tool results to files and replaces them in the model's context with a pointer and a
 * preview, as gnoma's persist.Store (§4.7): outputs ≥ 1024 bytes go to `<dir>/<toolName>-<callId>.txt`
 * (file mode 0600, directory 0700, created on first save; `-2`, `-3`, … is appended to the name when it is
 * taken, e.g. by a call id reused after a resume or two ids that sanitise alike, so an earlier saved result
 * is never overwritten) and become
 * `[Tool result saved: <path>]\n\nPreview (first 2000 chars):\n<first 2000 chars>`.
 * File-system errors (e.g. EACCES) propagate from {@link ResultsStore.maybeStore}.
 */
export class ResultsStore {
  /** Directory the files go to. */
  readonly dir: string;
  readonly #paths: Map<string, string>;
  /** Put before every call id (a subagent's view, see scoped). */
  readonly #prefix: string;
  #dirReady = false;

  constructor(dir: string, shared?: { prefix: string; paths: Map<string, string> }) {
    this.dir = path.resolve(dir);
    this.#prefix = shared?.prefix ?? "";
    this.#paths = shared?.paths ?? new Map();
  }

  /**
   * A view for a subagent: the same directory, its call ids prefixed with `<prefix>-` (so its files are named
   * `<tool>-agent-1-<id>.txt` and a call id it shares with its parent never takes the parent's entry).
   */
  scoped(prefix: string): ResultsStore {
    return new ResultsStore(this.dir, { prefix: `${this.#prefix}${prefix}-`, paths: this.#paths });
  }

  /**
   * Returns `{ content: output }` for small outputs; otherwise writes the file and returns the
   * inline replacement and the file's absolute `path`.
   */
  maybeStore(toolName: string, id: string, output: string): { content: string; path?: string } {
    if (Buffer.byteLength(output, "utf8") < RESULT_STORE_THRESHOLD_BYTES) return { content: output };
    const callId = this.#prefix + id;
    if (!this.#dirReady) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      chmodSync(this.dir, 0o700);
      this.#dirReady = true;
    }
    const stem = path.join(this.dir, `${sanitise(toolName)}-${sanitise(callId)}`);
    let file = `${stem}.txt`;
    for (let n = 2; ; n++) {
      try {
        writeFileSync(file, output, { mode: 0o600, flag: "wx" }); // never overwrite (or write through a symlink)
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        file = `${stem}-${n}.txt`;
      }
    }
    chmodSync(file, 0o600); // the umask may have narrowed the mode
    this.#paths.set(callId, file);
    return {
      content: `[Tool result saved: ${file}]\n\nPreview (first ${RESULT_PREVIEW_CHARS} chars):\n${preview(output)}`,
      path: file,
    };
  }

  /** The file a call's result was saved to, if it was saved. */
  pathFor(callId: string): string | undefined {
    return this.#paths.get(this.#prefix + callId);
  }
}

/** File-name-safe form: anything outside [A-Za-z0-9_-] becomes `_`, capped at 100 chars. */
function sanitise(part: string): string {
  const safe = part.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 100);
  return safe === "" ? "_" : safe;
}

/** The first RESULT_PREVIEW_CHARS code points (never splits a surrogate pair). */
function preview(output: string): string {
  return Array.from(output.slice(0, RESULT_PREVIEW_CHARS * 2))
    .slice(0, RESULT_PREVIEW_CHARS)
    .join("");
}
