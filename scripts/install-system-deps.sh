#!/bin/sh
# Installs the system packages owlet's tests and sandbox use, when they are missing and this runs as root with
# apt-get (Debian/Ubuntu CI images): bubblewrap (`bwrap`, the bash tool's sandbox), ripgrep (`rg`, fs_grep's
# fast path), redis-server (the batch queue's tests start their own on a free port; the system-wide service is
# never started) and tmux (the terminal the interactive UI's end-to-end tests drive). Anywhere else it only says
# what is missing; owlet still runs (bash then asks before every call, fs_grep uses its JavaScript engine) and the
# queue and tmux tests skip with a message. Exit code 0 unless apt-get itself fails.
set -eu
missing=""
command -v bwrap >/dev/null 2>&1 || missing="$missing bubblewrap"
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
if [ -z "$missing" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "install-system-deps: installing$missing"
  apt-get update -qq
  # A policy-rc.d that answers 101 keeps the package from starting its system-wide service on install.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    own_policy=1
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
else
  echo "install-system-deps: missing$missing (not root with apt-get; install them with your package manager)" >&2
fi
