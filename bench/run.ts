/**
 * `npm run bench`: every benchmark in turn, each in its own process, printing its table and writing JSON to
 * bench/results/. The real-model benchmarks use SmolLM2-135M (fetched once by scripts/fetch-test-model.sh).
 * `npm run bench -- NAME…` runs only the named ones.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHES = [
  "cold-start",
  "claude-code",
  "startup",
  "two-stage-schema",
  "textcalls",
  "embedded",
  "classifier",
  "router-sim",
  "bash-safety",
  "redaction",
  "checkpoints",
  "compaction",
  "mcp-startup",
] as const;
const root = fileURLToPath(new URL("..", import.meta.url));
const wanted = process.argv.slice(2);
const selected = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b)) : [...BENCHES];

let modelPath = process.env.OWLET_TEST_MODEL;
if (!modelPath && selected.some((b) => b === "embedded" || b === "two-stage-schema")) {
  try {
    modelPath = execFileSync("sh", ["scripts/fetch-test-model.sh"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    })
      .trim()
      .split("\n")
      .at(-1);
  } catch {
    console.error("bench: could not fetch the test model; the real-model benchmarks will be skipped");
  }
}
let failed = 0;
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, [`bench/${name}.ts`], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...(modelPath ? { OWLET_TEST_MODEL: modelPath } : {}) },
  });
  if (r.status !== 0) {
    failed++;
    console.error(`bench: ${name} exited with ${r.status}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
