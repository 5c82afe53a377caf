#!/usr/bin/env bash
# Makes the tslab TypeScript kernel usable from the project's Jupyter: notebooks in notebooks/
# run on it and import the library by its package name (@rt-lakehouse/kernel-helpers).
#
#   scripts/setup-tslab.sh             everything below; quick when nothing changed
#
# 1. Jupyter in .venv: scripts/setup-python.sh with requirements-jupyter.txt (JupyterLab,
#    nbconvert, nbclient and jupyter_client come with it).
# 2. tslab from npm: a root devDependency (node_modules/tslab, exact version in package.json).
#    Its zeromq binding ships prebuilt binaries, so npm's skipped install script is not needed;
#    checked here by loading it.
# 3. The library built (tsc -b kernel-helpers pipelines): tslab compiles each cell with its own
#    TypeScript and runs it in Node, so it needs dist/ (JavaScript and .d.ts), not the sources.
# 4. Types for tslab's resolver: it resolves modules the TypeScript 'node10' way, which ignores
#    package.json "exports", so a declaration package under node_modules/@types points
#    `@rt-lakehouse/kernel-helpers` and `.../notebook` at their dist/*.d.ts (at run time Node
#    itself resolves them through "exports").
# 5. The `tslab` kernelspec (display name "TypeScript (tslab)") in .venv/share/jupyter/kernels,
#    started as `<node> node_modules/tslab/bin/tslab kernel` with absolute paths; rewritten
#    only when it changed.
#
# Environment: VENV_DIR (default <repo>/.venv), NODE (default: node on PATH).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${VENV_DIR:-$REPO_ROOT/.venv}"
NODE="${NODE:-$(command -v node || true)}"
cd "$REPO_ROOT"

say() { echo "setup-tslab: $*"; }
die() {
  echo "setup-tslab: $*" >&2
  exit 1
}

[ -n "$NODE" ] && [ -x "$NODE" ] || die "node not found (set NODE to a Node.js 20.19+ binary)"

# 1. Jupyter
requirements=(requirements-jupyter.txt)
[ -f requirements-notebooks.txt ] && requirements+=(requirements-notebooks.txt)
VENV_DIR="$VENV_DIR" bash scripts/setup-python.sh "${requirements[@]}"
[ -x "$VENV_DIR/bin/jupyter" ] || die "$VENV_DIR/bin/jupyter missing after setup-python.sh"

# 2. tslab and its native binding
[ -f node_modules/tslab/package.json ] || die "node_modules/tslab is missing: run 'npm ci' (tslab is a root devDependency)"
"$NODE" -e "
  const { createRequire } = require('node:module');
  const fromTslab = createRequire(require.resolve('tslab/package.json'));
  fromTslab('zeromq');
" || die "tslab's zeromq binding does not load on this machine ($(uname -m), node $("$NODE" --version))"
say "tslab $("$NODE" -p "require('tslab/package.json').version") (zeromq binding loads)"

# 3. The library's JavaScript and declarations
"$NODE" node_modules/typescript/bin/tsc -b kernel-helpers pipelines || die "building kernel-helpers and pipelines failed"

# 4. Declarations for tslab's node10 module resolution (the package root and its notebook entry)
shim="node_modules/@types/rt-lakehouse__kernel-helpers"
mkdir -p "$shim"
header='// Written by scripts/setup-tslab.sh: tslab resolves modules the node10 way (no "exports").'
printf '%s\n%s\n' "$header" "export * from '../../@rt-lakehouse/kernel-helpers/dist/index.js';" >"$shim/index.d.ts"
printf '%s\n%s\n' "$header" "export * from '../../@rt-lakehouse/kernel-helpers/dist/notebook/index.js';" >"$shim/notebook.d.ts"
printf '{ "name": "@types/rt-lakehouse__kernel-helpers", "version": "0.0.0", "types": "index.d.ts" }\n' >"$shim/package.json"

# 5. The kernelspec
kernel_dir="$VENV_DIR/share/jupyter/kernels/tslab"
spec="$("$NODE" -e '
  const [node, tslab] = process.argv.slice(1);
  process.stdout.write(JSON.stringify({
    argv: [node, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (tslab)",
    language: "typescript",
  }, null, 1) + "\n");
' "$NODE" "$REPO_ROOT/node_modules/tslab/bin/tslab")"
if [ -f "$kernel_dir/kernel.json" ] && [ "$(cat "$kernel_dir/kernel.json")" = "$spec" ]; then
  say "kernelspec tslab is up to date ($kernel_dir)"
else
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  printf '%s\n' "$spec" >"$tmp/kernel.json"
  "$VENV_DIR/bin/jupyter" kernelspec install "$tmp" --name tslab --prefix "$VENV_DIR" >/dev/null
  say "installed kernelspec tslab into $kernel_dir"
fi
