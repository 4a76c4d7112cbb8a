# Gapwise: the two everyday commands are `make serve` and `make test`.
#
#   make serve   install what is missing, build the page (release), serve dist/ at
#                http://127.0.0.1:8080 (PORT=... to change)
#   make test    install what is missing (incl. Chromium and the e2e npm packages), cargo test,
#                the release build, then the e2e suite in headless Chromium
#   make build   the release build only, into dist/
#   make bench   the release build, then wasm/dist sizes and time-to-grand-total in Chromium
#   make setup / make setup-test   only the installs (scripts/setup.sh)
#   make fuzz    the fuzz targets of fuzz/, FUZZ_SECONDS (default 60) each; fails on a crash
#                (scripts/fuzz.sh; README "Fuzzing")

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# wasm-opt (binaryen from npm) is installed in tools/ by scripts/setup.sh; Trunk finds it here.
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

HOST ?= 127.0.0.1
PORT ?= 8080
RUNS ?= 20

.PHONY: all setup setup-test build serve test test-native test-e2e bench fuzz clean

all: build

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh test

build: setup
	trunk build --release --offline

# A plain static server (tests/e2e/serve.mjs: Node built-ins only, .wasm as application/wasm).
serve: build
	node tests/e2e/serve.mjs --dir dist --host $(HOST) --port $(PORT)

test: setup-test
	bash scripts/test.sh

# The parts of `make test`, one at a time (they assume `make setup-test` has run).
test-native:
	cargo test
	cargo test --lib --no-default-features page_build

test-e2e:
	trunk build --release --offline
	cd tests/e2e && node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec demo.spec.mjs upload.spec.mjs export.spec.mjs package.spec.mjs netting.spec.mjs gap.spec.mjs reserves.spec.mjs edit.spec.mjs share.spec.mjs spreadsheet.spec.mjs offline.spec.mjs a11y.spec.mjs other-files.spec.mjs big-files.spec.mjs risk.spec.mjs map.spec.mjs monitoring.spec.mjs measures.spec.mjs year-one.spec.mjs layout.spec.mjs report.spec.mjs

bench: setup-test
	trunk build --release --offline
	cargo run --release --example bench_netting
	node tests/e2e/bench.mjs --runs $(RUNS)

fuzz:
	bash scripts/fuzz.sh

clean:
	rm -rf dist bench-out tests/e2e/test-results
