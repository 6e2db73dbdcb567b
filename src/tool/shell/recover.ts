/**
 * Reading a command line without the grammar, for the parts tree-sitter-bash could not parse: plain commands split on
 * operators, and substitution bodies found by bracket matching. Linear in the text's length. The results only
 * widen what deny rules see; such a line always asks (see analyse.ts).
 */
import type { ShellCommand } from "./command-types.ts";
import { stripCoproc } from "./prefixes.ts";
import { type Char, readChars, type WordValue } from "./words.ts";

/** A command read by fallbackCommands (its text is its words). */
export function recoveredCommand(values: WordValue[]): ShellCommand {
  const words = values.flatMap((v) => v.values);
  const dynamic = values.flatMap((v) => v.values.map(() => v.dynamic));
  stripCoproc(words, dynamic);
  return {
    text: words.join(" "),
    assignments: [],
    words,
    dynamic,
    globName: values[0]?.glob === true,
    redirects: [],
    pipedInput: false,
    inputTexts: [],
  };
}

/**
 * Plain commands of text the grammar could not parse: split into segments on unquoted `;`, `&`, `|`, newlines and
 * parentheses, and into words on unquoted blanks and `<`/`>`; quotes removed, braces expanded (see readChars).
 * Linear in the text's length.
 */
export function fallbackCommands(text: string): WordValue[][] {
  const segments: WordValue[][] = [];
  let words: WordValue[] = [];
  let chars: Char[] = [];
  let quote: string | undefined;
  const endWord = () => {
    if (chars.length > 0) words.push(readChars(chars));
    chars = [];
  };
  const endSegment = () => {
    endWord();
    if (words.length > 0) segments.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else chars.push({ c, quoted: true });
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\" && i + 1 < text.length) chars.push({ c: text[++i]!, quoted: true });
    else if (/[;&|()\n]/.test(c)) endSegment();
    else if (/[\s<>]/.test(c)) endWord();
    else chars.push({ c, quoted: false });
  }
  endSegment();
  return segments;
}

/**
 * The bodies of the outermost `$(…)`, `<(…)`, `>(…)` and backtick substitutions in `text`, found without a grammar
 * (linear: nested bodies are found when an outer body is analysed in turn).
 */
export function substitutionBodies(text: string): string[] {
  const out: string[] = [];
  const opens: number[] = []; // body start of a substitution's `(`, or -1 for a plain `(`
  let substitutions = 0; // how many entries of `opens` are substitutions
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") i++;
    else if (c === "(") {
      const substitution = /[$<>]/.test(text[i - 1] ?? "");
      opens.push(substitution ? i + 1 : -1);
      if (substitution) substitutions++;
    } else if (c === ")" && opens.length > 0) {
      const start = opens.pop()!;
      if (start >= 0 && --substitutions === 0) out.push(text.slice(start, i));
    } else if (c === "`" && substitutions === 0) {
      const close = text.indexOf("`", i + 1);
      if (close < 0) break;
      out.push(text.slice(i + 1, close));
      i = close;
    }
  }
  return out;
}
