#!/usr/bin/env bash
# Recovery after a real PostgreSQL restart (pitfalls.md): the server answers
# 503 `unavailable` while the database is down, keeps running, and serves
# again once it is back, without a restart of its own.
#
#   scripts/restart-recovery.sh
#
# It stops and starts the local PostgreSQL cluster (root, Debian's
# pg_ctlcluster), so run it on a machine where nothing else needs the
# database for those seconds — not inside the parallel test suite, which
# tests the same behaviour by cutting a TCP proxy instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18097}"
VERSION="$(ls /etc/postgresql | sort -V | tail -n 1)"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/liaison_restart"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="restart-secret-restart-secret-restart" RUST_LOG=warn
cargo build -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/debug/liaison"
"$BIN" migrate 2>/dev/null
"$BIN" serve 2>/tmp/liaison-restart-server.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$1"; }

echo "before:  readyz $(status /readyz), regions $(status /v1/regions)"
pg_ctlcluster --skip-systemctl-redirect "$VERSION" main stop
echo "down:    readyz $(status /readyz), regions $(status /v1/regions), healthz $(status /healthz)"
curl -s "http://127.0.0.1:$PORT/v1/regions" | python3 -c 'import json,sys;p=json.load(sys.stdin);print("         problem:", p["code"], "-", p["detail"])'
echo "         one request while down took $(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/v1/regions") s (bounded by LIAISON_DB_ACQUIRE_TIMEOUT_SECS)"
pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start
up=$(date +%s.%N)
for i in $(seq 1 100); do
  [ "$(status /v1/regions)" = 200 ] && break
  sleep 0.2
done
echo "back:    readyz $(status /readyz), regions $(status /v1/regions) ($(python3 -c "import time;print(round(time.time()-$up,2))") s after PostgreSQL started; same server pid $SERVER: $(kill -0 $SERVER && echo alive))"
kill $SERVER; wait $SERVER 2>/dev/null || true
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS liaison_restart WITH (FORCE)" postgres
