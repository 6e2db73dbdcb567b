/**
 * Compiles a permission glob to an anchored RegExp: `*` matches any run of characters (slashes and newlines
 * included), `?` any one character, `[abc]` / `[a-z]` / `[!abc]` one character of (or not of) a set; everything
 * else is literal. An unclosed `[` is literal. Use `*foo*` to match a substring.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      while (glob[i + 1] === "*") i++;
      source += "[\\s\\S]*";
    } else if (c === "?") {
      source += "[\\s\\S]";
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith("!") || body.startsWith("^");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else {
      source += c.replace(/[.+^${}()|\\/\]]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

const cache = new Map<string, RegExp>();

/** True when `text` matches `glob` as a whole (see {@link globToRegExp}). */
export function matchGlob(glob: string, text: string): boolean {
  let regex = cache.get(glob);
  if (!regex) {
    regex = globToRegExp(glob);
    if (cache.size > 1000) cache.clear();
    cache.set(glob, regex);
  }
  return regex.test(text);
}
