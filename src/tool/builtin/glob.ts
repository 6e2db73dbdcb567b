/**
 * Converts a glob to a RegExp matching whole `/`-separated relative paths.
 * Supports `**` (any number of directories, including none, when a whole segment), `*` and `?`
 * (within one segment), `[abc]`/`[!abc]` classes and `{a,b}` alternatives. A pattern without `/`
 * matches the file name at any depth (gitignore style): `*.ts` is `**\/*.ts`.
 * Throws `SyntaxError` when the result is not a valid RegExp (an unclosed `{`, a range like `[z-a]`);
 * see {@link invalidGlobMessage}.
 */
export function globToRegExp(pattern: string): RegExp {
  let glob = pattern.replace(/^\.\//, "");
  if (!glob.includes("/")) glob = `**/${glob}`;
  return new RegExp(`^${translate(glob)}$`);
}

function translate(glob: string): string {
  let out = "";
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        const end = i + 2;
        if (atStart && glob[end] === "/") {
          out += "(?:.*/)?"; // `**/`: zero or more whole directories
          i = end;
          continue;
        }
        if (atStart && end === glob.length) {
          out += ".*";
          i = end - 1;
          continue;
        }
        out += "[^/]*";
        i++;
        continue;
      }
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) {
        out += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, "\\\\")}]`;
      i = close;
    } else if (c === "{") {
      braceDepth++;
      out += "(?:";
    } else if (c === "}" && braceDepth > 0) {
      braceDepth--;
      out += ")";
    } else if (c === "," && braceDepth > 0) {
      out += "|";
    } else {
      out += c.replace(/[.+^$()|\\]/g, "\\$&");
    }
  }
  return out;
}

/** The model-facing error for a glob that {@link globToRegExp} rejected with `error`. */
export function invalidGlobMessage(glob: string, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return `Invalid glob "${glob}" (${why}). Close every { and [, write ranges low-high (e.g. [a-z]), and use * and ** for wildcards.`;
}
