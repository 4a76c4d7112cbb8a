#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target of fuzz/ (README "Fuzzing") for FUZZ_SECONDS each (default
# 60) and reports, per target, the inputs run and the crashes found. Exit status non-zero when
# any target found a crash (a panic, a timeout over 10 s, or more than 2 GB of memory); the input
# is kept in fuzz/artifacts/<target>/ and `cargo fuzz run <target> <file>` replays it.
#
#   FUZZ_SECONDS=300 make fuzz                 five minutes per target
#   FUZZ_TARGETS="link link_json" make fuzz    only these targets
#
# Installs cargo-fuzz when missing. Toolchain: cargo-fuzz needs unstable compiler flags.
# - With a `nightly` rustup toolchain it runs `cargo +nightly fuzz` with AddressSanitizer.
# - Without one, it runs the stable toolchain with RUSTC_BOOTSTRAP=1 (which lets stable rustc
#   take the -Z flags cargo-fuzz passes) and `--sanitizer none`. Checked with stable 1.95:
#   `--sanitizer none` alone fails (cargo-fuzz still passes `-Z` flags: "the option `Z` is only
#   accepted on the nightly compiler"); RUSTC_BOOTSTRAP=1 with --sanitizer none builds and runs.
#   Safe Rust needs no AddressSanitizer to report a panic, an overflow (debug assertions are on),
#   a timeout or an out-of-memory; it only adds checks of `unsafe` code in the dependencies.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

seconds="${FUZZ_SECONDS:-60}"
all_targets="number import_csv import_json import_long import_mtfs spreadsheet spreadsheet_xml link link_json"
targets="${FUZZ_TARGETS:-$all_targets}"

# The longest input libFuzzer makes, per target: a bit over the largest seed, so the fuzzer
# works on shapes rather than on size (size limits are checked by the unit tests).
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

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
  sanitizer=(--sanitizer address)
  echo "==> toolchain: nightly, AddressSanitizer"
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
  sanitizer=(--sanitizer none)
  echo "==> toolchain: stable with RUSTC_BOOTSTRAP=1, no sanitizer"
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
    -print_final_stats=1 2>&1 | tee "$logs/$t.log" | grep -E '^(#[0-9]+ +(INITED|DONE|pulse)|==[0-9]+==|thread .* panicked|SUMMARY|artifact_prefix|Test unit written)' || true
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
  echo "crash inputs are in fuzz/artifacts/<target>/; replay one with: cargo +nightly fuzz run <target> <file>"
fi
exit "$failed"
