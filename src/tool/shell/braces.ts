/** Bash's brace expansion (`a{b,c}d`, `{1..3}`), over characters marked quoted or not. */

/** One character of a word and whether brace expansion and globbing must leave it alone (quoted or expanded). */
export interface Char {
  c: string;
  quoted: boolean;
}

/** Most words one brace expansion may produce; beyond it the word is kept unexpanded and marked dynamic. */
const MAX_EXPANSIONS = 256;

/**
 * Bash's brace expansion over unquoted characters: `a{b,c}d` → `abd acd`, nested, and sequences `{1..3}`,
 * `{a..c}` (with an optional step). Returns the words, or undefined when there would be more than
 * {@link MAX_EXPANSIONS}.
 */
export function expandBraces(chars: Char[]): Char[][] | undefined {
  const out: Char[][] = [];
  const work: Char[][] = [chars];
  while (work.length > 0) {
    const word = work.pop()!;
    const alternatives = firstBrace(word);
    if (alternatives === undefined) {
      out.push(word);
      if (out.length > MAX_EXPANSIONS) return undefined;
      continue;
    }
    if (alternatives.length + out.length + work.length > MAX_EXPANSIONS * 4) return undefined;
    for (let i = alternatives.length - 1; i >= 0; i--) work.push(alternatives[i]!);
  }
  return out;
}

/**
 * The expansions of the first expandable brace group of `word`, or undefined when it has none. One pass pairs
 * the unquoted braces (a stack), so a word of thousands of `{` costs linear time.
 */
function firstBrace(word: Char[]): Char[][] | undefined {
  const stack: { open: number; commas: number[] }[] = [];
  let best: { open: number; close: number; commas: number[] } | undefined;
  for (let j = 0; j < word.length; j++) {
    const { c, quoted } = word[j]!;
    if (quoted) continue;
    if (c === "{") stack.push({ open: j, commas: [] });
    else if (c === "," && stack.length > 0) stack[stack.length - 1]!.commas.push(j);
    else if (c === "}" && stack.length > 0) {
      const group = stack.pop()!;
      const expandable =
        group.commas.length > 0 || expandSequence(word.slice(group.open + 1, j)) !== undefined;
      if (expandable && (best === undefined || group.open < best.open)) best = { ...group, close: j };
    }
  }
  if (!best) return undefined;
  const { open, close, commas } = best;
  const pre = word.slice(0, open);
  const post = word.slice(close + 1);
  if (commas.length > 0) {
    const bounds = [open, ...commas, close];
    return bounds.slice(0, -1).map((b, k) => [...pre, ...word.slice(b + 1, bounds[k + 1]), ...post]);
  }
  const sequence = expandSequence(word.slice(open + 1, close))!;
  return sequence.map((item) => [...pre, ...[...item].map((c) => ({ c, quoted: true })), ...post]);
}

/** `1..5`, `5..1..2`, `a..e`: the items of a sequence expression, or undefined (at most MAX_EXPANSIONS). */
function expandSequence(inner: Char[]): string[] | undefined {
  if (inner.some((ch) => ch.quoted)) return undefined;
  const text = inner.map((ch) => ch.c).join("");
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(text);
  if (!m) return undefined;
  const numeric = /\d/.test(m[1]!);
  if (numeric !== /\d/.test(m[2]!)) return undefined;
  const from = numeric ? Number(m[1]) : m[1]!.charCodeAt(0);
  const to = numeric ? Number(m[2]) : m[2]!.charCodeAt(0);
  const step = Math.max(1, Math.abs(Number(m[3] ?? 1)));
  if (Math.abs(to - from) / step > MAX_EXPANSIONS) return undefined;
  const items: string[] = [];
  for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
    items.push(numeric ? String(v) : String.fromCharCode(v));
  }
  return items;
}
