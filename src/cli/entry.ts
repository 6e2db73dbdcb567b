#!/usr/bin/env node
/**
 * owlet's entry point (bin/owlet runs it): turns on Node's module compile cache before anything else loads, so the
 * JavaScript of owlet and its packages is compiled once and read back as V8 code cache on later runs (issue 10:
 * start-up is mostly module loading), then loads the CLI. The cache lives in `$XDG_CACHE_HOME/owlet/compile-cache`
 * (else `~/.cache/owlet/compile-cache`), the user's own; NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's switch).
 * Only built-in modules are imported here, statically, so nothing is compiled before the cache is on.
 */
import { enableCompileCache } from "node:module";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

const xdg = process.env.XDG_CACHE_HOME;
const cacheHome = xdg && isAbsolute(xdg) ? xdg : join(process.env.HOME || homedir(), ".cache");
try {
  enableCompileCache(join(cacheHome, "owlet", "compile-cache"));
} catch {
  // An unwritable cache directory only costs speed.
}
await import("./main.ts");
