#!/usr/bin/env bash
# Installs the browser the end-to-end tests drive: Debian's `chromium` (playwright-core runs it
# through `executablePath`; browser downloads are not used). Idempotent: does nothing when
# the browser is there.
#
#   scripts/setup-browser.sh      prints the browser's path
#
# Environment: CHROMIUM_PATH (default /usr/bin/chromium).
set -euo pipefail

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM_PATH" ]; then
  command -v apt-get >/dev/null 2>&1 || { echo "setup-browser: $CHROMIUM_PATH is missing and apt-get is not available" >&2; exit 1; }
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup-browser: installing chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
"$CHROMIUM_PATH" --version >/dev/null 2>&1 || { echo "setup-browser: $CHROMIUM_PATH does not run" >&2; exit 1; }
echo "$CHROMIUM_PATH"
