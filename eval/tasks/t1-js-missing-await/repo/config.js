import { readFile } from "node:fs/promises";

const DEFAULTS = { port: 8080, host: "localhost", debug: false };

/** Fills in missing keys from the defaults. */
export function withDefaults(config) {
  return { ...DEFAULTS, ...config };
}

/** Reads a JSON config file and fills in defaults. `read` is injectable for tests. */
export async function loadConfig(path, read = (p) => readFile(p, "utf8")) {
  const text = read(path);
  return withDefaults(JSON.parse(text));
}

/** Loads several config files in parallel. */
export function loadAll(paths, read) {
  return Promise.all(paths.map((path) => loadConfig(path, read)));
}
