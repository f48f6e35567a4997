#!/usr/bin/env bash
# schemathesis (PyPI) against the stand-in with PostHog's dashboards OpenAPI schema. Fails on any
# server error (5xx); prints the other checks' findings without failing on them.
# SCHEMATHESIS_EXAMPLES (default 30) sets the cases per operation and phase.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/schemathesis-venv
OUT=target/schemathesis
if [ ! -x "$VENV/bin/schemathesis" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q schemathesis
fi
cargo build --locked -q -p dashdeck-server
mkdir -p "$OUT"
DATA=$(mktemp -d)
target/debug/dashdeck-server --port 0 --data-dir "$DATA" >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do
    grep -q "running at" "$OUT/server.log" && break
    sleep 0.1
done
URL=$(grep -o 'http://[^ ]*' "$OUT/server.log" | head -1)
URL=${URL%/}
ROOT=$PWD
set +e
# From $OUT, so schemathesis keeps its cache (.schemathesis/) under target/.
cd "$OUT"
"$ROOT/$VENV/bin/schemathesis" --config-file "$ROOT/server/tests/fixtures/schemathesis.toml" run \
    "$ROOT/server/tests/fixtures/openapi-dashboards.json" --url "$URL" \
    -H "Authorization: Bearer phx_demo_full_access_key_000000000000000000" \
    --checks all --max-examples "${SCHEMATHESIS_EXAMPLES:-30}" --seed 1 --workers 2 \
    --report junit --report-junit-path junit.xml --output-truncate true >output.txt 2>&1
set -e
cd "$ROOT"
cat "$OUT/output.txt"
# Only server errors fail the run: the other checks report where the stand-in and the schema
# (PostHog's own, which it does not always honour) disagree.
if grep -qE "ST101|Server error" "$OUT/output.txt"; then
    echo "schemathesis: server errors found (see above and $OUT/server.log)" >&2
    exit 1
fi
echo "schemathesis: no server errors"
