/**
 * Loose tool-name resolution for calls printed as text.
 *
 * Small models drift on names: wrong case (`Read_File`), an OpenAI-style namespace (`functions.read`,
 * seen from gpt-style models in tontinton/maki#505), or dots where the tool has underscores (`fs.read`
 * for `fs_read`, the sanitising OpenAI applies to dotted names as in BFCL's `math.factorial`).
 * Borrowed behaviour: opencode's case fix and goose's name normalisation (anchors.md §3.2).
 * Names other agents use for owlet's built-in tools (`read_file`, `run_command`, `str_replace`, …) and
 * one-letter slips (`fs_reed`) are mapped too, only ever onto a tool that is offered.
 */
import { distance } from "fastest-levenshtein";

const PREFIXES = ["functions.", "function.", "tools.", "tool.", "default_api."];

/**
 * Resolves `name` against the `known` tool names. Tries, in order, each step returning only a unique
 * match: exact; case-insensitive; with a `functions.`/`function.`/`tools.`/`tool.`/`default_api.`
 * prefix removed (exact, then case-insensitive); with `.`, `-`, spaces and `_` treated as the same
 * separator, case-insensitively; a common alias of a built-in tool (`read_file` → `fs_read`, when
 * `fs_read` is offered); and finally a near miss (edit distance 1, or 2 for 8+ characters, unique).
 * Returns the known name, or `undefined` when nothing matches or a step matches more than one tool.
 */
export function resolveToolName(name: string, known: string[]): string | undefined {
  let cache = CACHE.get(known);
  if (cache === undefined) {
    cache = new Map();
    CACHE.set(known, cache);
  }
  if (cache.has(name)) return cache.get(name);
  const resolved = resolveUncached(name, known);
  if (cache.size >= 4096) cache.clear();
  cache.set(name, resolved);
  return resolved;
}

/**
 * Resolutions per known-name array (by identity: callers pass one array for a whole text or stream,
 * and must not change it meanwhile), then by name; bounded, cleared when full.
 */
const CACHE = new WeakMap<string[], Map<string, string | undefined>>();

function resolveUncached(name: string, known: string[]): string | undefined {
  const trimmed = name.trim().replace(/^["'`]+|["'`]+$/g, "");
  if (trimmed === "") return undefined;
  if (known.includes(trimmed)) return trimmed;
  const candidates = [trimmed];
  const stripped = stripPrefix(trimmed);
  if (stripped !== trimmed) candidates.push(stripped);
  for (const candidate of candidates) {
    if (known.includes(candidate)) return candidate;
    const byCase = unique(known.filter((k) => k.toLowerCase() === candidate.toLowerCase()));
    if (byCase !== null) return byCase;
  }
  for (const candidate of candidates) {
    const canon = canonical(candidate);
    const bySeparator = unique(known.filter((k) => canonical(k) === canon));
    if (bySeparator !== null) return bySeparator;
  }
  for (const candidate of candidates) {
    const target = BUILTIN_ALIASES[canonical(candidate).replace(/_/g, "")];
    if (target !== undefined && known.includes(target)) return target;
  }
  for (const candidate of candidates) {
    const near = nearMiss(canonical(candidate), known);
    if (near !== undefined) return near;
  }
  return undefined;
}

/** Names other agents and model templates use for owlet's built-in tools (separators removed). */
const BUILTIN_ALIASES: Record<string, string> = Object.fromEntries(
  Object.entries({
    fs_read: [
      "read_file",
      "readfile",
      "read",
      "view",
      "view_file",
      "open_file",
      "cat",
      "get_file",
      "file_read",
    ],
    fs_write: ["write_file", "write", "create_file", "save_file", "file_write", "write_to_file"],
    fs_edit: [
      "edit_file",
      "edit",
      "str_replace",
      "replace_in_file",
      "apply_edit",
      "file_edit",
      "str_replace_editor",
    ],
    fs_ls: ["list_dir", "list_directory", "ls", "list_files", "listdir", "dir"],
    fs_glob: ["glob", "find_files", "file_search", "glob_files"],
    fs_grep: ["grep", "search_files", "grep_search", "search_code", "rg", "ripgrep"],
    bash: [
      "shell",
      "run",
      "execute",
      "run_command",
      "exec",
      "terminal",
      "run_shell",
      "execute_command",
      "run_in_terminal",
      "run_terminal_cmd",
      "execute_bash",
      "sh",
    ],
  }).flatMap(([tool, names]) => names.map((n) => [n.replace(/_/g, ""), tool])),
);

/**
 * A unique known name within edit distance 1 (2 for names of 8+ characters) of `canon`, comparing
 * canonical forms; `undefined` when none or several are that close. Names under 4 characters never match.
 */
function nearMiss(canon: string, known: string[]): string | undefined {
  if (canon.length < 4) return undefined;
  const limit = canon.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let ties = 0;
  for (const k of known) {
    const d = distance(canon, canonical(k));
    if (d > limit) continue;
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
      ties = 1;
    } else if (d === bestDistance) ties++;
  }
  return ties === 1 ? best : undefined;
}

/** `undefined` for an ambiguous match, `null` for none, else the single match. */
function unique(matches: string[]): string | undefined | null {
  if (matches.length === 0) return null;
  return matches.length === 1 ? matches[0] : undefined;
}

function stripPrefix(name: string): string {
  let current = name;
  for (let changed = true; changed; ) {
    changed = false;
    for (const prefix of PREFIXES) {
      if (current.toLowerCase().startsWith(prefix) && current.length > prefix.length) {
        current = current.slice(prefix.length);
        changed = true;
      }
    }
  }
  return current;
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/[.\-\s_]+/g, "_");
}
