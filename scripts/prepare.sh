#!/bin/sh
# Runs on `npm install` (the "prepare" script, under scripts/with-node.sh so Node >= 22 is on PATH):
# records which node binary bin/owlet should use, then builds dist/ (scripts/build.sh: tsc, the tools'
# descriptions, the esbuild bundle, swapped into dist/ atomically; a failed build removes dist/).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
command -v node > "$root/.node-path"
sh "$root/scripts/build.sh"
# bubblewrap (the bash sandbox) and ripgrep, from the system's packages when running as root with apt-get, so that
# `npm install && npm test` works on a fresh machine; elsewhere it only says what is missing (never fails install).
sh "$root/scripts/install-system-deps.sh" || echo "owlet: could not install bubblewrap/ripgrep; bash will ask before every call" >&2
