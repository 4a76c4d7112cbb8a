#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) Gapwise needs, and only what is missing.
#
#   scripts/setup.sh          build tools: the wasm32 target, Trunk, wasm-bindgen-cli, wasm-opt
#                             (binaryen from npm, in tools/), crates
#   scripts/setup.sh test     the above, plus Debian's Chromium + ChromeDriver, the e2e suite's
#                             npm packages (tests/e2e) and Frictionless (PyPI), which validates
#                             the data package export
#
# Safe to run again and again: every step checks first and says what it finds or does.
# Nothing here downloads anything but from crates.io, Debian's archive, the npm registry and PyPI.
set -euo pipefail

TRUNK_VERSION="0.21.14"
FRICTIONLESS_VERSION="5.21.0"

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

mode="${1:-build}"
case "$mode" in
  build | test) ;;
  -h | --help)
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "setup: unknown mode '$mode' (use: scripts/setup.sh [test])" >&2
    exit 2
    ;;
esac

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: ERROR: %s\n' "$*" >&2
  exit 1
}

# Tools that `cargo install` puts in ~/.cargo/bin must be found by this script and by make.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "'$*' needs root (run as root or install sudo)"
  fi
}

# --- Rust toolchain and the wasm32 target -------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "cargo is not on PATH; install Rust with rustup first"
command -v rustup >/dev/null 2>&1 || die "rustup is not on PATH; it is needed to add the wasm32 target"

# python3 runs Trunk's post-build hook (scripts/csp.py, the Content-Security-Policy).
if command -v python3 >/dev/null 2>&1; then
  say "python3: present"
else
  say "python3: missing, running: apt-get install -y python3-minimal"
  as_root apt-get update </dev/null
  as_root apt-get install -y python3-minimal </dev/null
  command -v python3 >/dev/null 2>&1 || die "apt-get finished but python3 is still missing"
fi

if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  say "rust target wasm32-unknown-unknown: present"
else
  say "rust target wasm32-unknown-unknown: missing, running: rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- wasm-bindgen: the version Cargo.lock pins, which Trunk.toml must name too --------------------
[ -f Cargo.lock ] || die "Cargo.lock is missing in $ROOT; it pins the wasm-bindgen version"

# Every [[package]] named exactly "wasm-bindgen", its version.
mapfile -t lock_versions < <(awk '
  /^\[\[package\]\]/ { in_wb = 0; next }
  /^name = "wasm-bindgen"$/ { in_wb = 1; next }
  in_wb && /^version = "/ { v = $0; sub(/^version = "/, "", v); sub(/".*$/, "", v); print v; in_wb = 0 }
' Cargo.lock)
case "${#lock_versions[@]}" in
  1) WB_VERSION="${lock_versions[0]}" ;;
  0) die "Cargo.lock has no package named wasm-bindgen" ;;
  *) die "Cargo.lock has several wasm-bindgen versions (${lock_versions[*]}); Trunk can use only one" ;;
esac
say "Cargo.lock pins wasm-bindgen $WB_VERSION"

[ -f Trunk.toml ] || die "Trunk.toml is missing in $ROOT"
# The value of wasm_bindgen inside the [tools] table.
trunk_wb="$(awk '
  /^[[:space:]]*\[/ { table = $0; gsub(/[[:space:]]/, "", table); next }
  table == "[tools]" && /^[[:space:]]*wasm_bindgen[[:space:]]*=/ {
    v = $0; sub(/^[^=]*=[[:space:]]*/, "", v); sub(/[[:space:]]*(#.*)?$/, "", v); gsub(/"/, "", v); print v; exit
  }
' Trunk.toml)"
if [ -z "$trunk_wb" ]; then
  die "Trunk.toml has no [tools] wasm_bindgen = \"$WB_VERSION\"; add it so Trunk never downloads wasm-bindgen"
fi
if [ "$trunk_wb" != "$WB_VERSION" ]; then
  die "Trunk.toml [tools] wasm_bindgen is \"$trunk_wb\" but Cargo.lock pins wasm-bindgen $WB_VERSION; set Trunk.toml to \"$WB_VERSION\" (they must be equal)"
fi
say "Trunk.toml [tools] wasm_bindgen = \"$trunk_wb\": matches Cargo.lock"

have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wb" = "$WB_VERSION" ]; then
  say "wasm-bindgen-cli $WB_VERSION: present"
else
  say "wasm-bindgen-cli: found '${have_wb:-none}', want $WB_VERSION; running: cargo install wasm-bindgen-cli --version $WB_VERSION"
  # Not --locked: the lock file shipped with wasm-bindgen-cli names a crate version the
  # registry mirror lacks; without it cargo resolves compatible versions that are there.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
  have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  [ "$have_wb" = "$WB_VERSION" ] || die "after installing, wasm-bindgen --version says '${have_wb:-nothing}', not $WB_VERSION"
fi

# --- Trunk -------------------------------------------------------------------------------------
have_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_trunk" = "$TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION: present"
else
  say "trunk: found '${have_trunk:-none}', want $TRUNK_VERSION; running: cargo install trunk --version $TRUNK_VERSION --locked"
  cargo install trunk --version "$TRUNK_VERSION" --locked
  have_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
  [ "$have_trunk" = "$TRUNK_VERSION" ] || die "after installing, trunk --version says '${have_trunk:-nothing}', not $TRUNK_VERSION"
fi

# --- wasm-opt: binaryen from the npm registry (tools/), at the version Trunk.toml names ----------
command -v node >/dev/null 2>&1 || die "node is not on PATH; the build runs binaryen's wasm-opt with Node.js"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH; it installs binaryen's wasm-opt (tools/)"
export PATH="$ROOT/tools/node_modules/.bin:$PATH"
trunk_wo="$(awk '
  /^[[:space:]]*\[/ { table = $0; gsub(/[[:space:]]/, "", table); next }
  table == "[tools]" && /^[[:space:]]*wasm_opt[[:space:]]*=/ {
    v = $0; sub(/^[^=]*=[[:space:]]*/, "", v); sub(/[[:space:]]*(#.*)?$/, "", v); gsub(/"/, "", v); print v; exit
  }
' Trunk.toml)"
[ -n "$trunk_wo" ] || die "Trunk.toml has no [tools] wasm_opt; name the binaryen version tools/package.json installs"
have_wo="$("$ROOT/tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | sed -n 's/.*(\(version_[0-9]*\)).*/\1/p' || true)"
if [ "$have_wo" = "$trunk_wo" ]; then
  say "wasm-opt $trunk_wo (tools/node_modules): present"
else
  say "wasm-opt: found '${have_wo:-none}' in tools/, want $trunk_wo; running: npm ci (in tools)"
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund </dev/null)
  have_wo="$("$ROOT/tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | sed -n 's/.*(\(version_[0-9]*\)).*/\1/p' || true)"
  [ "$have_wo" = "$trunk_wo" ] || die "after npm ci, tools/node_modules/.bin/wasm-opt says '${have_wo:-nothing}', not $trunk_wo (tools/package.json and Trunk.toml must agree)"
fi

# --- Crates, for every target (so `trunk build --offline` finds the wasm-only ones) --------------
if cargo fetch --offline >/dev/null 2>&1; then
  say "crates in Cargo.lock: all downloaded"
else
  say "crates in Cargo.lock: some missing, running: cargo fetch"
  cargo fetch
fi

if [ "$mode" = "build" ]; then
  say "build tools ready"
  exit 0
fi

# --- Test mode: Debian's Chromium and ChromeDriver ----------------------------------------------
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium and chromium-driver: present ($(/usr/bin/chromium --version 2>/dev/null | head -n1 || echo 'version unknown'))"
else
  say "chromium/chromium-driver: missing, running: apt-get update && apt-get install -y chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update </dev/null
  as_root apt-get install -y chromium chromium-driver </dev/null
  [ -x /usr/bin/chromium ] || die "apt-get finished but /usr/bin/chromium is still missing"
fi

# --- Test mode: the e2e suite's npm packages ----------------------------------------------------
command -v node >/dev/null 2>&1 || die "node is not on PATH; the e2e suite needs Node.js 20 or newer"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH; the e2e suite needs it"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "node $(node --version) is too old; the e2e suite needs Node.js 20 or newer"

E2E="$ROOT/tests/e2e"
[ -f "$E2E/package-lock.json" ] || die "tests/e2e/package-lock.json is missing"
stamp="$E2E/node_modules/.gapwise-setup-stamp"
want_stamp="$(cat "$E2E/package.json" "$E2E/package-lock.json" | sha256sum | awk '{print $1}') node-$(node --version)"
if [ -d "$E2E/node_modules/playwright-core" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  say "tests/e2e/node_modules: up to date with package-lock.json"
else
  if [ -d "$E2E/node_modules" ]; then
    say "tests/e2e/node_modules: stale, running: npm ci (in tests/e2e)"
  else
    say "tests/e2e/node_modules: missing, running: npm ci (in tests/e2e)"
  fi
  # playwright-core has no browser download of its own; the variable makes sure of it.
  (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund </dev/null)
  printf '%s\n' "$want_stamp" >"$stamp"
fi

# --- Test mode: Frictionless, which validates the data package export (scripts/validate-package.sh)
have_fl="$(frictionless --version 2>/dev/null | head -n1 | tr -d '[:space:]' || true)"
if [ "$have_fl" = "$FRICTIONLESS_VERSION" ]; then
  say "frictionless $FRICTIONLESS_VERSION: present"
else
  say "frictionless: found '${have_fl:-none}', want $FRICTIONLESS_VERSION; running: python3 -m pip install frictionless==$FRICTIONLESS_VERSION"
  python3 -m pip --version >/dev/null 2>&1 || die "python3 has no pip; it installs frictionless from PyPI (apt-get install python3-pip)"
  python3 -m pip install --quiet "frictionless==$FRICTIONLESS_VERSION" </dev/null
  hash -r
  have_fl="$(frictionless --version 2>/dev/null | head -n1 | tr -d '[:space:]' || true)"
  [ "$have_fl" = "$FRICTIONLESS_VERSION" ] || die "after pip install, frictionless --version says '${have_fl:-nothing}', not $FRICTIONLESS_VERSION (is pip's script folder on PATH?)"
fi

say "build and test tools ready"
