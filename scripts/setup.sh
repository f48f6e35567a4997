#!/usr/bin/env bash
# Installs every tool the build and the tests need, only where it is missing (idempotent).
# Versions and traps: ../shared/toolchain.md. Source this file's exports with `eval "$(scripts/setup.sh --env)"`.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ "${1:-}" = "--env" ]; then
  echo "export PATH=\"$PATH\""
  exit 0
fi

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver (Debian)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The e2e tests serve dist/ from a sub-path with nginx, as the README tells hosts to.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx (Debian)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi

# The e2e tests' WebDriver client (fantoccini) links OpenSSL through native-tls.
if ! pkg-config --exists openssl 2>/dev/null; then
  say "installing libssl-dev and pkg-config (Debian)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libssl-dev pkg-config >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# A tool install builds faster without the project's size-optimised release profile.
fast_install() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"
}

if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  say "installing trunk 0.21.14 (several minutes)"
  fast_install trunk --version 0.21.14 --locked
fi

# wasm-bindgen's CLI must match the crate version in Cargo.lock exactly.
WB=$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB" ]; then
  say "installing wasm-bindgen-cli $WB (several minutes)"
  fast_install wasm-bindgen-cli --version "$WB" --locked || fast_install wasm-bindgen-cli --version "$WB"
fi

# wasm-split-cli cuts the release wasm into files loaded on first use (scripts/split_wasm.py).
WS=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WS:"; then
  say "installing wasm-split-cli $WS (about a minute)"
  fast_install wasm_split_cli_support --version "$WS" --features build-binary --locked
fi

# wasm-opt from npm binaryen 132 (Debian's binaryen 108 breaks the app at start-up); esbuild
# minifies the JavaScript the build writes.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ]; then
  say "installing npm dev dependencies (binaryen, esbuild)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The build writes brotli copies of its files (scripts/post-build.py); scripts/size.sh measures them.
if ! python3 -c 'import brotli' 2>/dev/null; then
  say "installing the brotli Python module"
  python3 -m pip install -q brotli || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-brotli >/dev/null; }
fi

# The release build and the tests run with --offline / --locked: fetch crates once here.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch --locked
