/**
 * The bash grammar: tree-sitter-bash (its `tree-sitter-bash.wasm`, from the npm package) run by web-tree-sitter.
 * Loaded lazily, on the first bash command analysed, so owlet's start-up does not pay for it (about 30 ms).
 */
import { createRequire } from "node:module";
import type { Parser, Tree } from "web-tree-sitter";

let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

/**
 * Loads web-tree-sitter and the bash language once per process; later calls return the same promise.
 * Rejects (and lets a later call retry) when the packages are missing or the WASM cannot be instantiated.
 */
export function loadBashGrammar(): Promise<Parser> {
  loading ??= (async () => {
    const { Parser: ParserClass, Language } = await import("web-tree-sitter");
    await ParserClass.init();
    const wasm = createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm");
    const language = await Language.load(wasm);
    const parser = new ParserClass();
    parser.setLanguage(language);
    loaded = parser;
    return parser;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** True once {@link loadBashGrammar} has finished. */
export function bashGrammarLoaded(): boolean {
  return loaded !== undefined;
}

/** Why a command was not parsed: `grammar` (not loaded yet) or `time` (the deadline passed first). */
export type ParseFailure = "grammar" | "time";

/**
 * Parses `text` with the loaded grammar, giving up (and returning `"time"`) when `deadline` (a
 * `performance.now()` value, ms) passes; `"grammar"` when {@link loadBashGrammar} has not finished. The caller
 * must `delete()` the tree.
 */
export function parseBash(text: string, deadline: number): Tree | ParseFailure {
  const parser = loaded;
  if (!parser) return "grammar";
  const tree = parser.parse(text, null, {
    // web-tree-sitter cancels the parse when the callback returns true (its type says void).
    progressCallback: (() => performance.now() > deadline) as unknown as () => void,
  });
  if (!tree) {
    parser.reset();
    return "time";
  }
  return tree;
}
