#!/bin/sh
# Runs `npm run eval` from a frozen copy of this working tree, so that building or testing in the checkout
# during a long eval (the test suite rebuilds dist/) cannot change what is being measured.
#
#   sh eval/snapshot.sh LABEL [eval options…]
#
# Copies the tracked and untracked (not ignored) files to ${XDG_CACHE_HOME:-~/.cache}/owlet/eval-snapshots/LABEL
# (replacing an earlier copy of that label; not under /tmp, which the bash tool's sandbox replaces with a private
# one, so a task's check could not reach the snapshot's eval/jest-compat runner), links node_modules/, builds dist/ there, and runs eval/run.ts from it with the
# shared data of this checkout (OWLET_SHARED_DATA, else ../shared/data when it exists) and, unless the options give one,
# `--results-dir` pointing back at this checkout's bench/results. Needs Node >= 22 on PATH (npm run eval-snapshot
# puts it there).
set -eu
[ $# -ge 1 ] || { echo "usage: sh eval/snapshot.sh LABEL [eval options]" >&2; exit 2; }
label=$1
shift
case "$label" in *[!A-Za-z0-9._-]*) echo "eval/snapshot.sh: LABEL takes letters, digits, . _ -" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
snap="${XDG_CACHE_HOME:-$HOME/.cache}/owlet/eval-snapshots/$label"
rm -rf "$snap"
mkdir -p "$snap"
(cd "$root" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | (cd "$snap" && tar -xf -)
ln -s "$root/node_modules" "$snap/node_modules"
command -v node > "$snap/.node-path"
"$root/node_modules/.bin/tsc" -p "$snap/tsconfig.build.json"
(cd "$snap/src" && find . -name '*.md' -exec sh -c 'mkdir -p "../dist/$(dirname "$1")" && cp "$1" "../dist/$1"' _ {} \;)
if [ -z "${OWLET_SHARED_DATA:-}" ] && [ -d "$root/../shared/data" ]; then
  OWLET_SHARED_DATA=$(cd "$root/../shared/data" && pwd)
  export OWLET_SHARED_DATA
fi
case " $* " in *" --results-dir "*) ;; *) set -- --results-dir "$root/bench/results" "$@" ;; esac
echo "eval/snapshot.sh: running the eval from $snap" >&2
exec node "$snap/eval/run.ts" "$@"
