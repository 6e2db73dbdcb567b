#!/bin/sh
# Runs on `npm install` (the "prepare" script, under scripts/with-node.sh so Node >= 22 is on PATH):
# records which node binary bin/owlet should use, compiles src/ to dist/, and copies the tools'
# description files (.md beside each tool) next to the compiled code.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
command -v node > "$root/.node-path"
# Built beside dist/ and swapped in at the end, so an owlet that is running (an eval, another shell) never finds
# dist/ missing or half-written. A failed build removes dist/, so nothing runs stale code (test/global-setup.ts).
tmp="$root/dist.new.$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
if ! "$root/node_modules/.bin/tsc" -p "$root/tsconfig.build.json" --outDir "$tmp"; then
  rm -rf "$root/dist"
  exit 1
fi
(cd "$root/src" && find . -name '*.md' -exec sh -c 'mkdir -p "$2/$(dirname "$1")" && cp "$1" "$2/$1"' _ {} "$tmp" \;)
rm -rf "$root/dist.old"
if [ -d "$root/dist" ]; then mv "$root/dist" "$root/dist.old"; fi
mv "$tmp" "$root/dist"
rm -rf "$root/dist.old"
# bubblewrap (the bash sandbox) and ripgrep, from the system's packages when running as root with apt-get, so that
# `npm install && npm test` works on a fresh machine; elsewhere it only says what is missing (never fails install).
sh "$root/scripts/install-system-deps.sh" || echo "owlet: could not install bubblewrap/ripgrep; bash will ask before every call" >&2
