#!/usr/bin/env bash
# Foundation benchmark (issue 3): GET /v1/regions at 64 connections beside
# pgbench -S at the same concurrency, and the server's peak RSS.
#
#   scripts/bench-foundation.sh            # 20 s per measurement
#   BENCH_SECONDS=60 scripts/bench-foundation.sh
#
# Needs: oha (`cargo install oha`), pgbench, psql, PostgreSQL on 127.0.0.1:5432.
# Load generator, server and PostgreSQL share this machine's cores, so the
# figures are for comparing runs on the same machine, not absolute capacity.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
SECONDS_PER_RUN="${BENCH_SECONDS:-20}"
PORT="${BENCH_PORT:-18080}"
CONNECTIONS=64
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench
URL="http://127.0.0.1:$PORT/v1/regions"

command -v oha >/dev/null || { echo "oha is missing: cargo install oha" >&2; exit 1; }

cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-info,sqlx=warn,sea_orm=warn}"
"$BIN" seed-demo >/dev/null
"$BIN" serve 2>/tmp/liaison-bench-server.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

echo "== warm-up"
oha -c "$CONNECTIONS" -z 3s --no-tui "$URL" >/dev/null

echo "== GET /v1/regions, $CONNECTIONS connections, closed loop, ${SECONDS_PER_RUN}s"
oha -c "$CONNECTIONS" -z "${SECONDS_PER_RUN}s" --no-tui --output-format json "$URL" > /tmp/liaison-bench-max.json
MAX_RPS=$(python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-max.json"));print(round(d["summary"]["requestsPerSec"]))')
MAX_P99=$(python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-max.json"));print(round(d["latencyPercentiles"]["p99"]*1000,2))')
OK=$(python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-max.json"));print(d["statusCodeDistribution"])')

RATE=$(( MAX_RPS / 2 ))
echo "== GET /v1/regions, $CONNECTIONS connections, constant $RATE req/s (half the maximum), ${SECONDS_PER_RUN}s"
oha -c "$CONNECTIONS" -q "$RATE" -z "${SECONDS_PER_RUN}s" --no-tui --output-format json "$URL" > /tmp/liaison-bench-rate.json
RATE_P99=$(python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-rate.json"));print(round(d["latencyPercentiles"]["p99"]*1000,2))')
RATE_P50=$(python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-rate.json"));print(round(d["latencyPercentiles"]["p50"]*1000,2))')

RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
kill $SERVER; wait $SERVER 2>/dev/null || true

echo "== pgbench -S, $CONNECTIONS clients, ${SECONDS_PER_RUN}s"
psql $PG -qc "DROP DATABASE IF EXISTS liaison_pgbench WITH (FORCE)" postgres
psql $PG -qc "CREATE DATABASE liaison_pgbench" postgres
pgbench $PG -i -s 10 -q liaison_pgbench >/dev/null 2>&1
PGBENCH_TPS=$(pgbench $PG -S -n -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_RUN" liaison_pgbench 2>/dev/null | awk '/^tps/ {print int($3)}')
psql $PG -qc "DROP DATABASE liaison_pgbench" postgres
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres

cat <<REPORT

| measure | value |
| --- | --- |
| GET /v1/regions, 64 connections, max throughput | $MAX_RPS req/s (p99 $MAX_P99 ms; statuses $OK) |
| GET /v1/regions, 64 connections, constant $RATE req/s | p50 $RATE_P50 ms, p99 $RATE_P99 ms |
| pgbench -S, 64 clients | $PGBENCH_TPS TPS |
| server peak RSS (VmHWM) | $((RSS_KB / 1024)) MiB |
REPORT
