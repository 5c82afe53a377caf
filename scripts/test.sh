#!/usr/bin/env bash
# The full test suite, from a clean clone: installs what the tests need (npm packages, the
# Python venv with deltalake and JupyterLab, the tslab kernel, chromium, the JupyterLab
# extension, the Kafka broker jars), starts a real Kafka broker on 127.0.0.1, runs the type
# check, the linter and every test (unit, integration, conformance, notebooks, e2e, stack),
# stops what it started and ends with one line: `N passed, N failed[, N skipped]`.
#
#   npm test                   everything
#   npm test -- <vitest args>  pass extra arguments to vitest (e.g. a file filter)
#
# Environment: KAFKA_BROKERS (use that broker instead of starting one), TEST_KAFKA_PORT (19092).
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
RESULTS_DIR="$REPO_ROOT/test-results"
mkdir -p "$RESULTS_DIR"
checks_passed=0
checks_failed=0

step() { printf '\n==> %s\n' "$*"; }
record() { if [ "$1" -eq 0 ]; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); echo "FAILED: $2"; fi; }

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

step "Python venv (deltalake, JupyterLab, jupyter-collaboration)"
bash scripts/setup-python.sh || { echo "python set-up failed"; echo "0 passed, 1 failed"; exit 1; }

# What the notebook, scheduler, end-to-end and stack tests drive: the tslab kernel registered in
# the venv, Debian's chromium and the JupyterLab extension built and installed into the venv.
# Each script is idempotent and quick when nothing changed. A failure is counted and the tests
# that need the piece fail with their own message.
step "tslab kernel"
bash scripts/setup-tslab.sh
record $? "tslab set-up (scripts/setup-tslab.sh)"

step "browser (chromium)"
bash scripts/setup-browser.sh
record $? "browser set-up (scripts/setup-browser.sh)"

step "JupyterLab extension"
bash extension/build.sh
record $? "extension build (extension/build.sh)"

started_kafka=""
cleanup() {
  if [ -n "$started_kafka" ]; then
    step "stopping Kafka"
    KAFKA_PORT="$TEST_KAFKA_PORT" KAFKA_CONTROLLER_PORT="$((TEST_KAFKA_PORT + 1))" KAFKA_DATA_DIR="$KAFKA_TEST_DIR" \
      bash scripts/kafka-local.sh stop || true
    rm -rf "$KAFKA_TEST_DIR"
  fi
}
trap cleanup EXIT

if [ -z "${KAFKA_BROKERS:-}" ]; then
  step "Kafka broker (KRaft, 127.0.0.1)"
  TEST_KAFKA_PORT="${TEST_KAFKA_PORT:-19092}"
  KAFKA_TEST_DIR="$(mktemp -d "${TMPDIR:-/tmp}/rtl-kafka-XXXXXX")"
  if KAFKA_PORT="$TEST_KAFKA_PORT" KAFKA_CONTROLLER_PORT="$((TEST_KAFKA_PORT + 1))" KAFKA_DATA_DIR="$KAFKA_TEST_DIR" \
    bash scripts/kafka-local.sh start; then
    started_kafka=1
    export KAFKA_BROKERS="127.0.0.1:$TEST_KAFKA_PORT"
  else
    echo "Kafka did not start; tests that need it will fail"
    tail -n 40 "$KAFKA_TEST_DIR/kafka.log" 2>/dev/null || true
    export KAFKA_BROKERS="127.0.0.1:$TEST_KAFKA_PORT"
  fi
fi

step "type check"
node node_modules/typescript/bin/tsc -b && node node_modules/typescript/bin/tsc -p tsconfig.tests.json
record $? "type check (tsc -b)"

step "lint and format check"
npx biome check .
record $? "lint (biome check)"

step "tests"
npx vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS_DIR/vitest.json" "$@"
vitest_status=$?

step "summary"
node scripts/summarizeTests.mjs "$RESULTS_DIR/vitest.json" "$checks_passed" "$checks_failed" "$vitest_status"
