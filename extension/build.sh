#!/usr/bin/env bash
# Builds the RT-Lakehouse JupyterLab extension and installs it into the project's venv, from a
# clean clone: JupyterLab and the Python build back-end (requirements-jupyter.txt) into .venv,
# npm packages if missing, the TypeScript library and the prebuilt labextension
# (@jupyter/builder, no Python needed for that step), then `pip install` of the Python package
# (labextension + server extension). Checks that Jupyter lists both as enabled.
#
#   bash extension/build.sh            build and install (skipped when nothing changed)
#   EXTENSION_FORCE=1 bash extension/build.sh   rebuild and reinstall regardless
#
# Idempotent and quick when nothing changed: a SHA-256 over the extension's sources is kept in
# extension/.build-stamp together with the venv it was installed into.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXT_DIR="$REPO_ROOT/extension"
VENV_DIR="${VENV_DIR:-$REPO_ROOT/.venv}"
STAMP="$EXT_DIR/.build-stamp"
cd "$REPO_ROOT"

say() { echo "extension/build: $*"; }

bash scripts/setup-python.sh requirements-jupyter.txt

if [ ! -f node_modules/@jupyter/builder/package.json ] || [ ! -f node_modules/@jupyterlab/core-meta/core.package.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi

sources_hash() {
  (
    cd "$EXT_DIR"
    find src style schema rt_lakehouse_extension jupyter-config scripts -type f \
      ! -path 'rt_lakehouse_extension/labextension/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum
    sha256sum package.json pyproject.toml install.json tsconfig.json
    node -p "require('@jupyter/builder/package.json').version + ' ' + require('@jupyterlab/core-meta/package.json').version"
    echo "$VENV_DIR"
  ) | sha256sum | cut -d' ' -f1
}

want="$(sources_hash)"
installed() {
  "$VENV_DIR/bin/python" -c 'import rt_lakehouse_extension' 2>/dev/null &&
    [ -f "$VENV_DIR/share/jupyter/labextensions/@rt-lakehouse/extension/package.json" ]
}
if [ "${EXTENSION_FORCE:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && installed; then
  say "up to date"
  exit 0
fi

say "building the labextension"
npm run --silent build:prod -w @rt-lakehouse/extension

say "installing rt_lakehouse_extension into $VENV_DIR"
# No build isolation: hatchling and hatch-jupyter-builder come from requirements-jupyter.txt, and
# the labextension built above is used as it is (skip-if-exists in pyproject.toml).
"$VENV_DIR/bin/pip" install --quiet --no-build-isolation --no-deps --force-reinstall "$EXT_DIR"
rm -rf "$EXT_DIR/build" "$EXT_DIR"/*.egg-info

labext="$("$VENV_DIR/bin/jupyter" labextension list 2>&1 || true)"
serverext="$("$VENV_DIR/bin/jupyter" server extension list 2>&1 || true)"
echo "$labext" | grep -E '@rt-lakehouse/extension v[0-9.]+ .*enabled.*OK' >/dev/null ||
  { echo "$labext" | grep -v 'yarn' | tail -20; say "the labextension is not listed as enabled"; exit 1; }
echo "$serverext" | grep -E 'rt_lakehouse_extension.*enabled' >/dev/null ||
  { echo "$serverext" | tail -20; say "the server extension is not listed as enabled"; exit 1; }
say "installed: labextension @rt-lakehouse/extension and server extension rt_lakehouse_extension enabled"
echo "$want" >"$STAMP"
