# Dashdeck: `make run` builds and starts everything; `make test` runs every test level.
PORT ?= 8080
DATA_DIR ?= .data
SHELL := /bin/bash
TOOLS := export PATH="$(CURDIR)/node_modules/.bin:$$HOME/.cargo/bin:$$PATH" CHROMEDRIVER=/usr/bin/chromedriver;

.PHONY: setup build build-subpath run test test-native test-wasm test-e2e test-schemathesis size bench bench-grid clean

setup:
	@scripts/setup.sh

## Release build of the app into dist/ (wasm-opt -Os, -O3 for the split files, through npm binaryen 132).
## PUBLIC_URL=/tools/dashboards/ builds it for hosting under that sub-path.
PUBLIC_URL ?= /
build: setup
	@$(TOOLS) trunk build --release --offline --public-url $(PUBLIC_URL)

## The same release build for a sub-path, which the e2e tests serve with nginx.
build-subpath: setup
	@$(TOOLS) trunk build --release --offline --public-url /tools/dashboards/ --dist target/dist-subpath

## Builds the app, starts the stand-in server with the seeded demo project, prints the URL.
run: build
	@$(TOOLS) cargo build --locked -q -p dashdeck-server
	@$(TOOLS) target/debug/dashdeck-server --port $(PORT) --dist dist --data-dir $(DATA_DIR) --demo

## Every test level: native unit and integration tests, wasm component tests in headless Chromium,
## end-to-end tests of the release build against the stand-in, and the bundle-size budget.
test: setup test-native test-wasm build build-subpath test-e2e size

test-native:
	@$(TOOLS) cargo test --locked --workspace --exclude dashdeck-e2e --exclude dashdeck-bench

test-wasm:
	@$(TOOLS) cargo test --locked -p dashdeck --target wasm32-unknown-unknown --test components --test embedded

test-e2e:
	@$(TOOLS) DASHDECK_DIST="$(CURDIR)/dist" DASHDECK_DIST_SUBPATH="$(CURDIR)/target/dist-subpath" cargo test --locked -p dashdeck-e2e -- --test-threads=1

## schemathesis (PyPI, in a venv under target/) against the stand-in: fails on any 5xx (~20 s).
test-schemathesis:
	@$(TOOLS) scripts/schemathesis.sh

size:
	@scripts/size.sh

## Performance figures (not a test): the release app against the vanilla-JS baseline in bench/baseline/.
bench: build
	@scripts/size.sh
	@$(TOOLS) DASHDECK_DIST="$(CURDIR)/dist" cargo run --locked -q -p dashdeck-bench

## Tile grid figures (not a test): pointermove cost, 100-tile render time, requests per drag-and-save.
bench-grid: build
	@$(TOOLS) DASHDECK_DIST="$(CURDIR)/dist" cargo test --locked -p dashdeck-e2e --test bench -- --ignored --nocapture

clean:
	rm -rf dist target $(DATA_DIR)
