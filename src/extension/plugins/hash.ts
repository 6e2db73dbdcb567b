import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/**
 * The content hash of a plugin folder: SHA-256 over every entry below it (sorted by path, `.git` left out): its
 * relative path, its kind (file, executable file, symlink and its target) and its bytes, so any change to a
 * script, a hook, a skill or the manifest changes the hash (gnoma hashed only the manifest). Hex, 64 chars.
 */
export function contentHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (rel: string) => {
    const at = rel ? join(dir, rel) : dir;
    for (const name of readdirSync(at).sort()) {
      if (name === ".git") continue;
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, path));
      if (st.isSymbolicLink()) hash.update(`L ${path} -> ${readlinkSync(join(dir, path))}\0`);
      else if (st.isDirectory()) {
        hash.update(`D ${path}\0`);
        walk(path);
      } else if (st.isFile()) {
        hash.update(`${st.mode & 0o111 ? "X" : "F"} ${path} ${st.size}\0`);
        hash.update(readFileSync(join(dir, path)));
      }
    }
  };
  walk("");
  return hash.digest("hex");
}
