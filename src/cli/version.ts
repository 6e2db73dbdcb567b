import { readFileSync } from "node:fs";

/** owlet's version, read from its package.json (one small synchronous read; no other import cost). */
export function owletVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
