#!/usr/bin/env bash
# Runs a command with a headless Chromium at hand for the browser tests:
#
#   ./scripts/chromium.sh go test ./cmd/demo/
#
# It installs Chromium from Debian's packages (chromium) if it is missing
# (needs root: apt-get), exports SERVICING_CHROMIUM (the browser's path) for
# the command and runs it. Its exit status is the command's. A Chromium
# already named by SERVICING_CHROMIUM, or found on the PATH, is used as it is.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi

find_chromium() {
  local c
  if [ -n "${SERVICING_CHROMIUM:-}" ] && [ -x "${SERVICING_CHROMIUM}" ]; then
    echo "$SERVICING_CHROMIUM"; return
  fi
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return; fi
  done
  if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; fi
}

browser=$(find_chromium)
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium.sh: Chromium is not installed and installing it needs root (apt-get install chromium)" >&2
    exit 1
  fi
  echo "== installing Chromium from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  browser=$(find_chromium)
  if [ -z "$browser" ]; then echo "chromium.sh: chromium not found after installing it" >&2; exit 1; fi
fi

export SERVICING_CHROMIUM="$browser"
echo "== SERVICING_CHROMIUM=$SERVICING_CHROMIUM ($("$browser" --version 2>/dev/null || echo 'version unknown'))"
set +e
"$@"
status=$?
set -e
exit "$status"
