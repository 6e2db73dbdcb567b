#!/bin/sh
# Builds dist/ (run by scripts/prepare.sh on `npm install`, and by `npm run build`): compiles src/ with tsc,
# copies the tools' description files (.md beside each tool) next to the compiled code, and bundles the CLI
# (scripts/bundle.mjs, issue 10) when esbuild (a devDependency) is installed; bin/owlet prefers the bundle.
# Everything is built beside dist/ and swapped in at the end, so an owlet that is running (an eval, another shell)
# never finds dist/ missing or half-written, and never runs a bundle older than the compiled modules beside it.
# A failed build (tsc or the bundle) removes dist/, so nothing runs stale code (test/global-setup.ts).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp="$root/dist.new.$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail() {
  rm -rf "$root/dist"
  exit 1
}
"$root/node_modules/.bin/tsc" -p "$root/tsconfig.build.json" --outDir "$tmp" || fail
(cd "$root/src" && find . -name '*.md' -exec sh -c 'mkdir -p "$2/$(dirname "$1")" && cp "$1" "$2/$1"' _ {} "$tmp" \;)
node "$root/scripts/bundle.mjs" "$tmp" || fail
rm -rf "$root/dist.old"
if [ -d "$root/dist" ]; then mv "$root/dist" "$root/dist.old"; fi
mv "$tmp" "$root/dist"
rm -rf "$root/dist.old"
