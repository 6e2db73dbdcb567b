/**
 * Lexical JSON repair for tool-call text printed by small models.
 *
 * Borrowed behaviour: gnoma's `openai/repair.go` ("Lexical JSON repair": keep valid JSON; else strip
 * ```json fences, trim trailing commas, extract the first balanced `{…}` string/escape aware, and try
 * the combinations). Extended here with the slips small models make most: single-quoted strings,
 * unquoted keys, Python literals, raw control characters inside strings, and output cut off mid-value
 * (unterminated strings, unclosed braces/brackets).
 */

/** Names of the repairs `repairJson` can report, in the order they are tried. */
export type RepairName =
  | "strip_fences"
  | "unwrap_double_braces"
  | "extract_object"
  | "trailing_commas"
  | "single_quotes"
  | "unquoted_keys"
  | "python_literals"
  | "escape_control_chars"
  | "close_string"
  | "drop_dangling_key"
  | "close_brackets";

/** Result of a successful repair: the parsed value and the repairs applied (empty for valid JSON). */
export interface RepairResult {
  value: unknown;
  repairs: string[];
}

/**
 * Parses `text` as JSON, repairing it lexically when it is not valid.
 * Tries, in order: the text as is; with code fences stripped; with a doubled outer brace pair
 * `{{…}}` unwrapped; the first balanced `{…}` (or `{` to the
 * end of input when it never closes); each candidate also through the lexical normaliser (trailing
 * commas, single quotes, unquoted keys, True/False/None, control characters, and closing an
 * unterminated string and unbalanced brackets at end of input).
 * Returns `undefined` when no combination parses. Never throws.
 */
export function repairJson(text: string): RepairResult | undefined {
  const candidates: { text: string; repairs: string[] }[] = [{ text: text.trim(), repairs: [] }];
  const unfenced = stripFences(text);
  if (unfenced !== undefined) candidates.push({ text: unfenced, repairs: ["strip_fences"] });
  for (const base of [...candidates]) {
    // `{{"name": …}}` (Qwen2.5 under vLLM, QwenLM/Qwen3#924): one brace layer too many.
    if (/^\{\s*\{/.test(base.text) && /\}\s*\}$/.test(base.text)) {
      candidates.push({
        text: base.text.slice(1, -1).trim(),
        repairs: [...base.repairs, "unwrap_double_braces"],
      });
    }
  }
  for (const base of [...candidates]) {
    const start = base.text.indexOf("{");
    if (start < 0) continue;
    const end = findValueEnd(base.text, start);
    const sliced = base.text.slice(start, end ?? base.text.length);
    if (sliced !== base.text) candidates.push({ text: sliced, repairs: [...base.repairs, "extract_object"] });
  }
  for (const candidate of candidates) {
    const direct = tryParse(candidate.text);
    if (direct.ok) return { value: direct.value, repairs: candidate.repairs };
    const normalised = normaliseJson(candidate.text);
    if (normalised.repairs.length === 0) continue;
    const fixed = tryParse(normalised.text);
    if (fixed.ok) return { value: fixed.value, repairs: [...candidate.repairs, ...normalised.repairs] };
  }
  return undefined;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Returns the body of the first code fence in `text` (```lang\n…```), or `undefined` when there is
 * none. An unclosed fence runs to the end of the text.
 */
export function stripFences(text: string): string | undefined {
  const open = text.indexOf("```");
  if (open < 0) return undefined;
  const lineEnd = text.indexOf("\n", open + 3);
  const bodyStart = lineEnd < 0 ? open + 3 : lineEnd + 1;
  // A fence whose "language" is really the start of JSON (```{"a":1}```) keeps that text.
  const lang = text.slice(open + 3, lineEnd < 0 ? text.length : lineEnd);
  const start = /^[\w.+-]*\s*$/.test(lang) ? bodyStart : open + 3;
  const close = text.indexOf("```", start);
  return text.slice(start, close < 0 ? text.length : close).trim();
}

/**
 * Index just past the JSON-ish value (object or array) opening at `start`, tracking strings in double
 * or single quotes and backslash escapes; `undefined` when the value never closes before `limit`
 * (default: the end of `text`). Brackets of either kind count together, so a mismatched close still
 * ends the value. Linear in the characters read.
 */
export function findValueEnd(text: string, start: number, limit = text.length): number | undefined {
  let depth = 0;
  let quote = 0;
  for (let i = start; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34) quote = 34;
    else if (c === 39) {
      // An apostrophe inside a word (don't) is not a quote in JSON-ish text outside strings.
      if (!(isWordChar(text.charCodeAt(i - 1)) && isWordChar(text.charCodeAt(i + 1)))) quote = 39;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** `\w` for a character code (NaN, past either end of the text, is not a word character). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

interface Frame {
  kind: "{" | "[";
  /** In an object: true where a key is expected next. */
  expectKey: boolean;
}

/**
 * One left-to-right pass that rewrites JSON-ish text into JSON and names what it changed.
 * Exported for tests; `repairJson` is the entry point.
 */
export function normaliseJson(text: string): { text: string; repairs: RepairName[] } {
  const repairs = new Set<RepairName>();
  const out: string[] = [];
  const stack: Frame[] = [];
  /** Index in `out` of a comma not yet followed by a value. */
  let pendingComma = -1;
  /** Index in `out` of the last key string of the innermost object, until its value starts. */
  let danglingKey = -1;
  let i = 0;
  const top = (): Frame | undefined => stack[stack.length - 1];
  const valueStarted = (): void => {
    pendingComma = -1;
    danglingKey = -1;
  };

  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' || ch === "'") {
      const frame = top();
      const isKey = frame?.kind === "{" && frame.expectKey;
      const str = readString(text, i, ch);
      if (ch === "'") repairs.add("single_quotes");
      if (str.escapedControl) repairs.add("escape_control_chars");
      if (!str.closed) repairs.add("close_string");
      pendingComma = -1;
      if (isKey) {
        danglingKey = out.length;
        if (frame) frame.expectKey = false;
      } else danglingKey = -1;
      out.push(str.json);
      i = str.end;
      continue;
    }
    if (ch === "{" || ch === "[") {
      valueStarted();
      stack.push({ kind: ch, expectKey: ch === "{" });
      out.push(ch);
      i++;
      continue;
    }
    if (ch === "}" || ch === "]") {
      if (pendingComma >= 0) {
        out[pendingComma] = "";
        repairs.add("trailing_commas");
        pendingComma = -1;
      }
      const frame = stack.pop();
      out.push(frame ? (frame.kind === "{" ? "}" : "]") : ch);
      danglingKey = -1;
      i++;
      continue;
    }
    if (ch === ",") {
      if (pendingComma >= 0) {
        // ",," : drop the extra comma.
        repairs.add("trailing_commas");
        i++;
        continue;
      }
      const frame = top();
      if (frame?.kind === "{") frame.expectKey = true;
      pendingComma = out.length;
      out.push(",");
      i++;
      continue;
    }
    if (ch === ":") {
      out.push(":");
      i++;
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) {
      let j = i;
      while (j < text.length && /[\w$.-]/.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      const frame = top();
      let k = j;
      while (k < text.length && /\s/.test(text[k] as string)) k++;
      if (frame?.kind === "{" && frame.expectKey && text[k] === ":") {
        repairs.add("unquoted_keys");
        pendingComma = -1;
        danglingKey = out.length;
        frame.expectKey = false;
        out.push(JSON.stringify(word));
      } else {
        valueStarted();
        const literal = PYTHON_LITERALS[word];
        if (literal !== undefined) {
          repairs.add("python_literals");
          out.push(literal);
        } else out.push(word);
      }
      i = j;
      continue;
    }
    if (!/\s/.test(ch)) valueStarted();
    out.push(ch);
    i++;
  }

  // End of input: drop a dangling comma or key, then close what is still open.
  if (stack.length > 0 || pendingComma >= 0) {
    if (pendingComma >= 0) {
      out[pendingComma] = "";
      repairs.add("trailing_commas");
    }
    if (danglingKey >= 0) {
      out.length = danglingKey;
      // Remove the comma that introduced the dropped key, if any.
      for (let j = out.length - 1; j >= 0; j--) {
        const piece = out[j] as string;
        if (piece.trim() === "") continue;
        if (piece === ",") out[j] = "";
        break;
      }
      repairs.add("drop_dangling_key");
    } else {
      const last = out.join("").trimEnd();
      if (last.endsWith(":")) {
        out.push("null");
        repairs.add("drop_dangling_key");
      }
    }
    if (stack.length > 0) repairs.add("close_brackets");
    while (stack.length > 0) out.push(stack.pop()?.kind === "{" ? "}" : "]");
  }
  return { text: out.join(""), repairs: [...repairs] };
}

const PYTHON_LITERALS: Record<string, string> = { True: "true", False: "false", None: "null" };

/**
 * Reads a string literal opening at `start` with `quote` and returns it as a JSON string literal.
 * Raw control characters are escaped; an unterminated string is closed at end of input.
 */
function readString(
  text: string,
  start: number,
  quote: string,
): { json: string; end: number; closed: boolean; escapedControl: boolean } {
  let value = "";
  let escapedControl = false;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === undefined) {
        i++;
        break;
      }
      if (next === "'" && quote === "'") value += "'";
      else {
        const decoded = decodeEscape(text, i);
        value += decoded.value;
        i = decoded.end;
        continue;
      }
      i += 2;
      continue;
    }
    if (ch === quote) return { json: JSON.stringify(value), end: i + 1, closed: true, escapedControl };
    if (ch < " ") escapedControl = true;
    value += ch;
    i++;
  }
  return { json: JSON.stringify(value), end: text.length, closed: false, escapedControl };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  "'": "'",
};

function decodeEscape(text: string, i: number): { value: string; end: number } {
  const next = text[i + 1] as string;
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) return { value: simple, end: i + 2 };
  if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
    return { value: String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16)), end: i + 6 };
  }
  // Unknown escape (e.g. a Windows path "C:\Users"): keep the backslash literally.
  return { value: `\\${next}`, end: i + 2 };
}
