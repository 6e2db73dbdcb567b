/**
 * The check of a polyglot (`from`) eval task: runs the jest-style `*.spec.js` files of the current directory
 * under vitest (owlet's devDependency) with jest's globals, `xtest`/`xit` run as ordinary tests (setup.js).
 * Usage, from the run dir: `node <owlet>/eval/jest-compat/run-spec.ts [filters…]`.
 * Exit code: 0 when every test passes, 1 when a test fails or no spec file is found.
 * Nothing is written into the run dir: no config is read there; vitest's caches are off or in the temp dir.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

process.env.NO_COLOR = "1";
process.env.FORCE_COLOR = "0";

const { startVitest } = await import("vitest/node");

const setup = fileURLToPath(new URL("./setup.js", import.meta.url));
const ctx = await startVitest(
  "test",
  process.argv.slice(2),
  {
    root: process.cwd(),
    config: false,
    watch: false,
    globals: true,
    setupFiles: [setup],
    include: ["**/*.spec.js"],
    exclude: ["**/node_modules/**", "**/.git/**"],
    fsModuleCache: false,
    cache: false,
    pool: "threads",
  },
  { cacheDir: join(tmpdir(), "owlet-eval-vite-cache"), logLevel: "error" },
);
await ctx?.close();
if (ctx === undefined) process.exitCode = 1;
// A solution that leaves a timer or socket open must not hang the check.
setTimeout(() => process.exit(), 5_000).unref();
