#!/bin/sh
# Runs a command with Node >= 22 first on PATH (installing Node 24 when needed, see node-env.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(sh "$here/node-env.sh")
PATH="$dir:$PATH"
export PATH
exec "$@"
