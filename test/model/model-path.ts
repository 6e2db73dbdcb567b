import { existsSync } from "node:fs";

/**
 * The real test model (SmolLM2-135M-Instruct GGUF) from `OWLET_TEST_MODEL`. Throws, so the calling test FAILS
 * rather than skips, when the variable is unset or names a missing file, saying how to fetch the model.
 */
export function testModelPath(): string {
  const path = process.env.OWLET_TEST_MODEL;
  if (!path) {
    throw new Error(
      "OWLET_TEST_MODEL is not set: the real-model tier needs SmolLM2-135M-Instruct. Run `sh scripts/test-model.sh` " +
        "(it fetches the model with scripts/fetch-test-model.sh and sets the variable), or run " +
        "`export OWLET_TEST_MODEL=$(sh scripts/fetch-test-model.sh | tail -n 1)` first.",
    );
  }
  if (!existsSync(path)) {
    throw new Error(
      `OWLET_TEST_MODEL=${path} does not exist: run \`sh scripts/fetch-test-model.sh\` to fetch the model again.`,
    );
  }
  return path;
}
