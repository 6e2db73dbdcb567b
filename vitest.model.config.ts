import { defineConfig } from "vitest/config";

/** The real-model tier: tests that load SmolLM2-135M in-process (see scripts/fetch-test-model.sh). */
export default defineConfig({
  test: {
    include: ["test/model/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    globalSetup: ["test/global-setup.ts"],
  },
});
