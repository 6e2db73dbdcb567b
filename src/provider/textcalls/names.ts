/**
 * Loose tool-name resolution for calls printed as text.
 *
 * Small models drift on names: wrong case (`Read_File`), an OpenAI-style namespace (`functions.read`,
 * seen from gpt-style models in tontinton/maki#505), or dots where the tool has underscores (`fs.read`
 * for `fs_read`, the sanitising OpenAI applies to dotted names as in BFCL's `math.factorial`).
 * Borrowed behaviour: opencode's case fix and goose's name normalisation (anchors.md §3.2).
 */

const PREFIXES = ["functions.", "function.", "tools.", "tool.", "default_api."];

/**
 * Resolves `name` against the `known` tool names. Tries, in order, each step returning only a unique
 * match: exact; case-insensitive; with a `functions.`/`function.`/`tools.`/`tool.`/`default_api.`
 * prefix removed (exact, then case-insensitive); and finally with `.`, `-`, spaces and `_` treated as
 * the same separator, case-insensitively.
 * Returns the known name, or `undefined` when nothing matches or a step matches more than one tool.
 */
export function resolveToolName(name: string, known: string[]): string | undefined {
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
  return undefined;
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
