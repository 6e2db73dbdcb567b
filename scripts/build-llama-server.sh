#!/bin/sh
# Builds llama.cpp's `llama-server` (CPU only, static, no web UI, no TLS) from the llama.cpp source that
# node-llama-cpp ships (node_modules/node-llama-cpp/llama/gitRelease.bundle), once, into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/owlet/llama-server/<llama.cpp release tag>/llama-server
# and prints that binary's absolute path as the LAST line of stdout. Idempotent: when the binary is
# cached nothing is built. Build output goes to stderr. A cold build takes about 10-15 minutes on 2 cores.
#
# Needs git, cmake, make (or ninja) and a C++17 compiler; when one is missing and this runs as root
# with apt-get available, they are installed (apt-get install cmake build-essential git).
# Environment:
#   OWLET_LLAMA_SERVER_JOBS  parallel compile jobs (default: 2)
#   OWLET_LLAMA_BUNDLE       path to a llama.cpp git bundle (default: node-llama-cpp's gitRelease.bundle)
# Exit 0 with the path on success; exit 1 with a message on stderr when the build fails.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
fail() {
  echo "build-llama-server: $*" >&2
  exit 1
}

llama_dir="$root/node_modules/node-llama-cpp/llama"
bundle="${OWLET_LLAMA_BUNDLE:-$llama_dir/gitRelease.bundle}"
[ -s "$bundle" ] || fail "no llama.cpp source bundle at $bundle (run npm install first)"

# The release tag node-llama-cpp records for its bundled llama.cpp (llama.cpp.info.json: {"tag": ...}).
tag=""
if [ -s "$llama_dir/llama.cpp.info.json" ]; then
  tag=$(sed -n 's/.*"tag"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$llama_dir/llama.cpp.info.json" | head -n 1)
fi
[ -n "$tag" ] || tag="bundle-$(cksum <"$bundle" | cut -d' ' -f1)"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/owlet/llama-server/$tag"
bin="$cache/llama-server"
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi

# Build tools: install when missing and allowed (root + apt-get), else say what is missing.
missing=""
for tool in git cmake make c++; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "build-llama-server: installing build tools (missing:$missing)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake build-essential git >/dev/null) \
      || fail "apt-get could not install cmake build-essential git"
  else
    fail "missing build tools:$missing (install cmake, make, a C++ compiler and git)"
  fi
fi

jobs="${OWLET_LLAMA_SERVER_JOBS:-2}"
mkdir -p "$cache" || fail "cannot create $cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/owlet-llama-server.XXXXXX") || fail "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT INT TERM

echo "build-llama-server: building llama-server $tag into $cache (once; ~10-15 min on 2 cores)" >&2
start=$(date +%s)
git clone -q "$bundle" "$work/src" >&2 2>&1 || fail "git clone of $bundle failed"

# Options that exist in this llama.cpp: no web UI (neither downloaded nor built), no OpenSSL, static,
# no tests/examples. LLAMA_CURL is deprecated in recent releases (warning only), so it is passed only
# when the source still declares it as an option.
set -- -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=ON -DGGML_NATIVE=ON
for opt in LLAMA_USE_PREBUILT_UI LLAMA_BUILD_UI LLAMA_OPENSSL; do
  if grep -q "option($opt\b" "$work/src/CMakeLists.txt"; then set -- "$@" "-D$opt=OFF"; fi
done
if grep -q "option(LLAMA_CURL\b" "$work/src/CMakeLists.txt"; then set -- "$@" -DLLAMA_CURL=OFF; fi
generator=""
if command -v ninja >/dev/null 2>&1; then generator="-GNinja"; fi

# shellcheck disable=SC2086
cmake -S "$work/src" -B "$work/build" $generator "$@" >&2 || fail "cmake configure failed"
cmake --build "$work/build" --target llama-server -j "$jobs" >&2 || fail "cmake build of llama-server failed"

built=$(find "$work/build" -type f -name llama-server -perm -u+x | head -n 1)
[ -n "$built" ] || fail "the build produced no llama-server binary"
cp "$built" "$bin.part" || fail "cannot write $bin.part"
mv "$bin.part" "$bin" || fail "cannot move llama-server into $cache"
"$bin" --version >/dev/null 2>&1 || fail "$bin does not run (--version failed)"
echo "build-llama-server: built in $(($(date +%s) - start)) s: $bin" >&2
echo "$bin"
