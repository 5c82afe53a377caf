#!/usr/bin/env bash
# Set up and start RT-Lakehouse on this machine: one command.
#
#   ./start.sh [up options]   install what is missing, then `lakehouse up` in the foreground:
#                             pipelines, producer, assistant API, scheduler and JupyterLab;
#                             Ctrl-C stops everything cleanly
#   ./start.sh status         what runs (mode, services, health, pipelines, lag, table versions)
#   ./start.sh stop           stop the stack from another terminal (= lakehouse down)
#
# Up options: --embedded (no broker), --mode docker|kafka|embedded|auto, --no-local-kafka,
# --no-jupyter, --no-browser. The mode is chosen automatically otherwise: Docker when an engine
# answers, else Kafka (KAFKA_BROKERS, or a local broker when Java 17+ is present), else embedded.
# See docs/getting-started.md.
#
# Set-up steps, each quick when nothing changed: npm packages (when package-lock.json's packages
# are not what node_modules holds), the Python venv with JupyterLab and jupyter-collaboration
# plus the tslab kernel (scripts/setup-tslab.sh), the JupyterLab extension (extension/build.sh).
# Without Python 3.10+ the stack starts without JupyterLab. LAKEHOUSE_SKIP_SETUP=1 skips them all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

say() { echo "==> $*"; }
die() {
  echo "start.sh: $*" >&2
  exit 1
}

command -v node >/dev/null 2>&1 || die "Node.js 20.19.4 or newer is required (https://nodejs.org)"
node -e 'const [a,b,c]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&(b>19||(b===19&&c>=4)))?0:1)' ||
  die "Node.js 20.19.4 or newer is required (found $(node --version))"

lakehouse() {
  exec node --conditions=source --import tsx services/src/cli/lakehouse.ts "$@"
}

case "${1:-}" in
  stop | down)
    shift
    lakehouse down "$@"
    ;;
  status)
    shift
    lakehouse status "$@"
    ;;
esac

# node_modules holds exactly the packages of package-lock.json (content, not file times: a fresh
# clone's lock file is always newer than an existing node_modules).
npm_in_sync() {
  node -e '
    const fs = require("node:fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    let hidden;
    try { hidden = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages; }
    catch { process.exit(1); }
    for (const [name, entry] of Object.entries(lock)) {
      if (name === "" || !name.startsWith("node_modules/")) continue;
      const installed = hidden[name];
      if (!installed) { if (entry.optional) continue; process.exit(1); }
      if (entry.version !== installed.version) process.exit(1);
      if (!fs.existsSync(name)) process.exit(1);
    }
  ' 2>/dev/null
}

if [ "${LAKEHOUSE_SKIP_SETUP:-0}" != 1 ]; then
  say "npm packages"
  if npm_in_sync; then
    echo "up to date"
  else
    command -v npm >/dev/null 2>&1 || die "npm is required"
    npm ci --no-audit --no-fund
  fi

  python="${PYTHON:-python3}"
  if command -v "$python" >/dev/null 2>&1 &&
    "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    say "Python venv: JupyterLab, jupyter-collaboration and the tslab kernel"
    bash scripts/setup-tslab.sh
    say "JupyterLab extension"
    bash extension/build.sh
  else
    echo "start.sh: Python 3.10+ not found ('$python'): starting without JupyterLab" >&2
    export LAKEHOUSE_JUPYTER=0
  fi
fi

say "lakehouse up"
lakehouse up "$@"
