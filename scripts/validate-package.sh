#!/usr/bin/env bash
# Validates the demo's Fiscal Data Package with Frictionless (README "Fiscal Data Package"):
# writes the package of tests/fixtures/cyps-savings-2017-21.csv, as the page's "Data package"
# button does (`cargo run --example datapackage`), into a temporary folder, unpacks it there and
# runs `frictionless validate` on its datapackage.json, which checks the descriptor against the
# Tabular Data Package profile, every CSV cell against its Table Schema type (amounts `number`),
# the primary key (Row, Year) and the resource's byte count and SHA-256.
#
# `make test` runs it (scripts/test.sh). It fails, never skips, when `frictionless` is missing:
# `scripts/setup.sh test` installs it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v frictionless >/dev/null 2>&1; then
  echo "validate-package: ERROR: the frictionless command is missing; run scripts/setup.sh test (pip install frictionless)" >&2
  exit 1
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/gapwise-package.XXXXXX")"
trap 'rm -rf "$dir"' EXIT

cargo run --quiet --example datapackage -- tests/fixtures/cyps-savings-2017-21.csv "$dir"
echo "validate-package: frictionless $(frictionless --version 2>/dev/null | head -n1) validate $dir/datapackage.json"
# --json: the verdict is read from the report, not from the table's layout.
set +e
report="$(cd "$dir" && frictionless validate --json datapackage.json)"
status=$?
set -e
verdict="$(printf '%s' "$report" | python3 -c '
import json, sys
r = json.load(sys.stdin)
errors = [e for t in r.get("tasks", []) for e in t.get("errors", [])] + r.get("errors", [])
for e in errors[:20]:
    print("  " + e.get("type", "?") + ": " + e.get("message", ""))
rows = sum(t.get("stats", {}).get("rows", 0) or 0 for t in r.get("tasks", []))
print("valid" if r.get("valid") else "INVALID", "(%d rows, %d errors)" % (rows, len(errors)))
')"
echo "$verdict"
if [ "$status" -ne 0 ] || [ "${verdict%% *}" != "valid" ]; then
  echo "validate-package: the demo's data package is not valid (frictionless exit $status)" >&2
  exit 1
fi
echo "validate-package: the demo's data package is valid"
