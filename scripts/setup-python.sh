#!/usr/bin/env bash
# Creates or updates the project's Python virtual environment at <repo>/.venv and installs the
# pinned requirement files into it. Used by tests and benchmarks that drive Python tools
# (delta-rs through the `deltalake` package; later JupyterLab).
#
#   scripts/setup-python.sh                          the default files (DEFAULT_REQUIREMENTS below)
#   scripts/setup-python.sh requirements-bench.txt   only the files named (relative to the repo root,
#                                                    the current folder, or absolute)
#
# The default list holds what the tests and the stack need (npm test and start.sh run the script
# without arguments); add a file to it when they need more (e.g. JupyterLab's). Heavy optional
# sets, such as requirements-bench.txt (PySpark), are installed only when named.
#
# Idempotent and quick when nothing changed: a SHA-256 of each installed file (and of the
# interpreter version) is kept in .venv/.requirements/<file>.sha256, and pip runs only when a
# file is new or changed — then with every requested file in one resolver pass, so pins shared by
# two files cannot fight. pip keeps its normal download/wheel cache (~/.cache/pip, or
# PIP_CACHE_DIR), so re-creating the venv on CI does not download again.
#
# Environment: PYTHON (interpreter to build the venv from, default python3; 3.10 or newer),
# VENV_DIR (default <repo>/.venv), SETUP_PYTHON_FORCE=1 to reinstall regardless of the stamps.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV_DIR="${VENV_DIR:-$REPO_ROOT/.venv}"
# A .venv that is a symlink (to a venv kept elsewhere) is built where it points: Python's venv
# refuses to create one through a symlink.
if [ -L "$VENV_DIR" ]; then
  VENV_DIR="$(readlink -f "$VENV_DIR")"
  mkdir -p "$VENV_DIR"
fi
STAMP_DIR="$VENV_DIR/.requirements"
DEFAULT_REQUIREMENTS=(requirements-test.txt requirements-jupyter.txt)

die() {
  echo "setup-python: $*" >&2
  exit 1
}

command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found (set PYTHON to a Python 3.10+ interpreter)"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
  die "$("$PYTHON" --version 2>&1) is too old: Python 3.10 or newer is needed"

# The requirement files, as absolute paths: as given, else the default list.
[ "$#" -gt 0 ] || set -- "${DEFAULT_REQUIREMENTS[@]/#/$REPO_ROOT/}"
files=()
for f in "$@"; do
  case "$f" in /*) ;; *) [ -f "$f" ] || f="$REPO_ROOT/$f" ;; esac
  [ -f "$f" ] || die "no such requirements file: $f"
  files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
done

# A venv whose interpreter no longer runs (base Python moved or upgraded) is rebuilt.
if [ -x "$VENV_DIR/bin/python" ] && ! "$VENV_DIR/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "setup-python: $VENV_DIR is broken; re-creating it"
  rm -rf "$VENV_DIR"
fi
if [ ! -x "$VENV_DIR/bin/python" ]; then
  echo "setup-python: creating $VENV_DIR with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV_DIR"
fi
mkdir -p "$STAMP_DIR"

py_version="$("$VENV_DIR/bin/python" -c 'import sys; print(sys.version)')"
stamp_of() { # the stamp of one requirements file: its content and the interpreter
  { printf '%s\n' "$py_version"; cat "$1"; } | sha256sum | cut -d' ' -f1
}
stamp_path() { # one stamp per file, named after its path relative to the repo root
  local rel="${1#"$REPO_ROOT"/}"
  printf '%s/%s.sha256' "$STAMP_DIR" "${rel//\//__}"
}

stale=()
for f in "${files[@]}"; do
  p="$(stamp_path "$f")"
  if [ "${SETUP_PYTHON_FORCE:-0}" = 1 ] || [ ! -f "$p" ] || [ "$(cat "$p")" != "$(stamp_of "$f")" ]; then
    stale+=("$f")
  fi
done

if [ "${#stale[@]}" -eq 0 ]; then
  echo "setup-python: $VENV_DIR is up to date (${files[*]#"$REPO_ROOT"/})"
  exit 0
fi

args=()
for f in "${files[@]}"; do args+=(-r "$f"); done
echo "setup-python: installing ${files[*]#"$REPO_ROOT"/} into $VENV_DIR"
"$VENV_DIR/bin/python" -m pip install --disable-pip-version-check --quiet "${args[@]}"
for f in "${files[@]}"; do stamp_of "$f" >"$(stamp_path "$f")"; done
echo "setup-python: done"
