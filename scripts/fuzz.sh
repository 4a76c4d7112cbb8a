#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target of fuzz/ (README "Fuzzing") for FUZZ_SECONDS each (default
# 60) and reports, per target, the inputs run and the crashes found. Exit status non-zero when
# any target found a crash (a panic, a timeout over 10 s, or more than 2 GB of memory); the input
# is kept in fuzz/artifacts/<target>/ and `cargo fuzz run <target> <file>` replays it.
#
#   FUZZ_SECONDS=300 make fuzz                 five minutes per target
#   FUZZ_TARGETS="link link_json" make fuzz    only these targets
#   FUZZ_TOOLCHAIN=stable make fuzz            the stable way (below) even with nightly installed
#
# Installs cargo-fuzz when missing. Toolchain, as checked here with cargo-fuzz 0.13.2:
# - with a `nightly` rustup toolchain: `cargo +nightly fuzz`, with AddressSanitizer (the default);
# - without one: the stable toolchain with `--sanitizer none`. On stable 1.95 that builds and
#   runs as it is (no RUSTC_BOOTSTRAP needed); AddressSanitizer does not ("the option `Z` is
#   only accepted on the nightly compiler"). Safe Rust needs no sanitizer for what is looked
#   for here: a panic, an arithmetic overflow (cargo-fuzz builds with debug assertions, so
#   overflow is checked), a timeout or running out of memory are all caught without it; the
#   sanitizer only adds checks of `unsafe` code in the dependencies.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

seconds="${FUZZ_SECONDS:-60}"
all_targets="number import_csv import_json import_long import_mtfs spreadsheet spreadsheet_xml link link_json"
targets="${FUZZ_TARGETS:-$all_targets}"

# The longest input libFuzzer makes, per target: room for the seeds (a real schedule, its long
# export, a workbook's XML), not more, so the fuzzer works on shapes rather than on size (the
# size limits themselves are checked by the tests).
max_len() {
  case "$1" in
    number) echo 128 ;;
    import_csv | import_mtfs) echo 16384 ;;
    import_json | import_long) echo 65536 ;;
    spreadsheet) echo 65536 ;;
    spreadsheet_xml) echo 81920 ;;
    link) echo 8192 ;;
    link_json) echo 32768 ;;
    *) echo 4096 ;;
  esac
}

# Extra seed folders, beside fuzz/seeds/<target> (written by `cargo run --example fuzz_seeds`).
extra_seeds() {
  case "$1" in
    import_csv | import_json | import_long | import_mtfs) echo tests/fixtures ;;
    *) ;;
  esac
}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# FUZZ_TOOLCHAIN=stable forces the stable way even where nightly is installed (to check it).
if [ "${FUZZ_TOOLCHAIN:-}" != stable ] && rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
  sanitizer=(--sanitizer address)
  echo "==> toolchain: nightly, AddressSanitizer"
else
  fuzz=(cargo fuzz)
  sanitizer=(--sanitizer none)
  echo "==> toolchain: stable, no sanitizer"
fi

# Seeds: exports of the fixtures and share links, written by the engine itself.
echo "==> writing the seed inputs (cargo run --example fuzz_seeds)"
cargo run --quiet --example fuzz_seeds

echo "==> building the targets"
"${fuzz[@]}" build "${sanitizer[@]}"

logs="$(mktemp -d "${TMPDIR:-/tmp}/gapwise-fuzz.XXXXXX")"
trap 'rm -rf "$logs"' EXIT
summary=()
failed=0
for t in $targets; do
  corpus="fuzz/corpus/$t"
  artifacts="fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts" "fuzz/seeds/$t"
  before="$(ls "$artifacts" | wc -l)"
  echo
  echo "==> $t: ${seconds}s, inputs up to $(max_len "$t") bytes"
  set +e
  # shellcheck disable=SC2046
  "${fuzz[@]}" run "${sanitizer[@]}" "$t" "$corpus" "fuzz/seeds/$t" $(extra_seeds "$t") -- \
    -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | tee "$logs/$t.log" |
    { grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|==[0-9]+==|thread .* panicked|SUMMARY|Test unit written)' || true; }
  status="${PIPESTATUS[0]}"
  set -e
  runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$logs/$t.log" | grep -Eo '[0-9]+$' | tail -1 || true)"
  crashes=$(($(ls "$artifacts" | wc -l) - before))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1 # a failure that left no input (a build error): counted, and the log shown
    tail -40 "$logs/$t.log"
  fi
  [ "$crashes" -gt 0 ] && failed=1
  summary+=("$(printf '%-16s %12s runs  %d crash(es)' "$t" "${runs:-?}" "$crashes")")
done

echo
echo "==> fuzzing summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "crash inputs are in fuzz/artifacts/<target>/; replay one with: ${fuzz[*]} run ${sanitizer[*]} <target> <file>"
fi
exit "$failed"
