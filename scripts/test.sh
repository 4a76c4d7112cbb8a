#!/usr/bin/env bash
# `make test`: the native Rust tests, the release build of the page, then the end-to-end suite
# (tests/e2e, node --test) against that build, served on a free localhost port by the suite
# itself. Every stage runs even when an earlier one failed (but the e2e suite needs the build);
# the output ends with cargo test's and the e2e runner's summary lines, and the exit status is
# non-zero if anything failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

logs="$(mktemp -d "${TMPDIR:-/tmp}/gapwise-test.XXXXXX")"
trap 'rm -rf "$logs"' EXIT

stage() { printf '\n==> %s\n' "$*"; }

# Runs a command with its output both shown and kept in a log; returns its exit status.
run_logged() {
  local log="$1"
  shift
  set +e
  "$@" 2>&1 | tee "$log"
  local status="${PIPESTATUS[0]}"
  set -e
  return "$status"
}

cargo_status=0
layers_status=0
package_status=0
build_status=0
e2e_status=0

stage "engine layers (scripts/layers.py)"
run_logged "$logs/layers.log" python3 scripts/layers.py || layers_status=$?

stage "cargo test (native)"
run_logged "$logs/cargo.log" cargo test --color never || cargo_status=$?
# The page is built without the workbook reader and writer (Cargo.toml's features): its tests
# of that build, which say that the worker reads and writes workbooks.
run_logged "$logs/cargo-page.log" cargo test --color never --lib --no-default-features page_build || cargo_status=$?

stage "data package validates (scripts/validate-package.sh, frictionless)"
run_logged "$logs/package.log" bash scripts/validate-package.sh || package_status=$?

stage "trunk build --release --offline"
run_logged "$logs/build.log" trunk build --release --offline || build_status=$?

if [ "$build_status" -eq 0 ]; then
  stage "e2e suite (tests/e2e, headless Chromium)"
  (
    cd tests/e2e
    run_logged "$logs/e2e.log" node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec \
      demo.spec.mjs upload.spec.mjs export.spec.mjs package.spec.mjs netting.spec.mjs gap.spec.mjs reserves.spec.mjs edit.spec.mjs share.spec.mjs spreadsheet.spec.mjs offline.spec.mjs a11y.spec.mjs other-files.spec.mjs big-files.spec.mjs risk.spec.mjs map.spec.mjs monitoring.spec.mjs measures.spec.mjs year-one.spec.mjs layout.spec.mjs report.spec.mjs
  ) || e2e_status=$?
else
  e2e_status=1
fi

word() { if [ "$1" -eq 0 ]; then echo ok; else echo "FAILED (exit $1)"; fi; }

stage "summary"
echo "layers: $(word "$layers_status"); data package (frictionless): $(word "$package_status"); cargo test: $(word "$cargo_status"); release build: $(word "$build_status"); e2e: $(
  if [ "$build_status" -ne 0 ]; then echo "not run (no build)"; else word "$e2e_status"; fi
)"
echo "-- cargo test"
# Each result line under the line naming its test binary, both as cargo printed them.
if ! awk '/^[[:space:]]*(Running|Doc-tests) / { name = $0 } /^test result: / { if (name != "") print name; print; name = "" ; found = 1 } END { exit !found }' "$logs/cargo.log"; then
  echo "cargo test printed no test result line (exit $cargo_status); see its output above"
fi
echo "-- e2e (node --test)"
if [ -f "$logs/e2e.log" ] && grep -qE '^ℹ (tests|pass|fail) ' "$logs/e2e.log"; then
  grep -E '^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$logs/e2e.log"
elif [ "$build_status" -ne 0 ]; then
  echo "ℹ e2e suite not run: trunk build --release --offline failed (exit $build_status)"
else
  echo "ℹ e2e runner printed no summary (exit $e2e_status); see its output above"
fi

if [ "$layers_status" -ne 0 ] || [ "$package_status" -ne 0 ] || [ "$cargo_status" -ne 0 ] || [ "$build_status" -ne 0 ] || [ "$e2e_status" -ne 0 ]; then
  exit 1
fi
