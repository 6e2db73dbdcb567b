#!/bin/sh
# Runs on `npm install` (the "prepare" script, under scripts/with-node.sh so Node >= 22 is on PATH):
# records which node binary bin/owlet should use, compiles src/ to dist/, copies the tools'
# description files (.md beside each tool) next to the compiled code, and bundles the CLI (scripts/bundle.mjs).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
command -v node > "$root/.node-path"
rm -rf "$root/dist"
"$root/node_modules/.bin/tsc" -p "$root/tsconfig.build.json"
(cd "$root/src" && find . -name '*.md' -exec sh -c 'mkdir -p "../dist/$(dirname "$1")" && cp "$1" "../dist/$1"' _ {} \;)
# One bundle for start-up speed (issue 10), when esbuild (a devDependency) is there; bin/owlet prefers it.
node "$root/scripts/bundle.mjs"
# bubblewrap (the bash sandbox) and ripgrep, from the system's packages when running as root with apt-get, so that
# `npm install && npm test` works on a fresh machine; elsewhere it only says what is missing (never fails install).
sh "$root/scripts/install-system-deps.sh" || echo "owlet: could not install bubblewrap/ripgrep; bash will ask before every call" >&2
