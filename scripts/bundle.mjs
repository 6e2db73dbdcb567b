// Bundles the CLI into dist/cli/owlet.js (+ chunks loaded on demand) with esbuild, for start-up speed (issue 10):
// a run then reads a few files instead of ~550 modules (zod, undici, es-toolkit, Ink...). React and Ink get their
// production builds (NODE_ENV is replaced at build time only: the commands owlet runs never see it). Packages with
// native code or WASM found beside their own files stay external. bin/owlet runs the bundle when it exists, else the
// plain tsc output (dist/cli/entry.js). The bundle sits in dist/cli/ so the paths the code resolves from
// import.meta.url still work: the tools' descriptions (copied beside it), the grep worker (its own entry point),
// ../../package.json. Usage: node scripts/bundle.mjs [build dir, default dist/].
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.error("bundle: esbuild is not installed (a devDependency); bin/owlet runs the unbundled dist/");
  process.exit(0);
}
// The build directory (scripts/build.sh builds beside dist/ and swaps it in), default dist/.
const out = join(process.argv[2] ? resolve(process.argv[2]) : join(root, "dist"), "cli");
for (const f of readdirSync(out)) if (/^(owlet|chunk-.*|grep-worker)\.js$/.test(f)) rmSync(join(out, f));
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { owlet: "src/cli/entry.ts", "grep-worker": "src/tool/builtin/grep-worker.ts" },
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  chunkNames: "chunk-[hash]",
  define: { "process.env.NODE_ENV": '"production"' },
  external: [
    "node-llama-cpp",
    "@node-llama-cpp/*",
    "web-tree-sitter",
    "tree-sitter-bash",
    "highlight.js",
    "highlight.js/*",
    "js-tiktoken",
    "js-tiktoken/*",
    "react-devtools-core",
  ],
  // CommonJS packages inside an ESM bundle call require() for Node built-ins.
  banner: { js: "import { createRequire as __owletRequire } from 'node:module'; const require = __owletRequire(import.meta.url);" },
  logLevel: "warning",
  legalComments: "none",
});
// The tools read their descriptions from beside their module (tool/builtin/*.md, the skill and agent tools'
// beside theirs): beside the bundle too, every description file of src/ flat in dist/cli/ (names must not clash).
const copied = new Map();
for (const entry of readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".md")) continue;
  const from = join(entry.parentPath, entry.name);
  if (copied.has(entry.name)) {
    console.error(`bundle: two description files named ${entry.name}: ${copied.get(entry.name)} and ${from}`);
    process.exit(1);
  }
  copied.set(entry.name, from);
  cpSync(from, join(out, entry.name));
}
if (!existsSync(join(out, "owlet.js"))) process.exit(1);
