#!/usr/bin/env bash
# Rules preview benchmark (issue 13), in one run on 100,000 members and
# 1,000,000 verified contributions (scripts/sql/recognition-100k.sql):
#  - the preview of a draft (acc v1 with the threshold raised to 12), which
#    computes eligibility under two versions in one statement;
#  - one eligibility read (every eligible member, CSV), the same SQL once;
# each beside its own statements through pgbench (captured from PostgreSQL's
# log by scripts/capture-statements.sh). Target: preview ≤ 2.2× eligibility.
#
#   scripts/bench-preview.sh          (BENCH_RUNS=3 by default)
#
# Needs: psql, pgbench, python3, PostgreSQL on 127.0.0.1:5432 and its log readable.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/capture-statements.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18086}"
RUNS="${BENCH_RUNS:-3}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_preview
API="http://127.0.0.1:$PORT"
SUMMIT=00000000-0000-7000-8000-0000000000a1

command -v pgbench >/dev/null || { echo "pgbench is missing" >&2; exit 1; }
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-warn}"
"$BIN" migrate 2>/dev/null
LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example >/dev/null 2>&1
echo "== loading 100,000 members and 1,000,000 verified contributions"
psql $PG -q -v ON_ERROR_STOP=1 -c "INSERT INTO regions (id, slug, name, ambassador_seats) VALUES
  (uuid_generate_v7(), 'europe', 'Europe', 3), (uuid_generate_v7(), 'asia', 'Asia', 3), (uuid_generate_v7(), 'americas', 'Americas', 3)" "$DB"
time psql $PG -q -v ON_ERROR_STOP=1 -v summit=$SUMMIT -f scripts/sql/recognition-100k.sql "$DB"
psql $PG -q -c "VACUUM ANALYZE" "$DB"

serve() {
  "$BIN" serve 2>>/tmp/liaison-bench-preview.log &
  SERVER=$!
  for _ in $(seq 1 50); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.2; done
  TOKEN=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
    -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
}
trap 'kill $SERVER 2>/dev/null || true; capture_off $DB 2>/dev/null || true' EXIT
draft() {
  curl -sf "$API/v1/recognition-programs/acc" | python3 -c '
import json, sys
v1 = json.load(sys.stdin)["rules"][0]
print(json.dumps({"summit_id": sys.argv[1], "rules": {"window_days": v1["window_days"], "threshold_points": 12, "kinds": v1["kinds"]}}))' "$SUMMIT"
}

capture_on $DB
serve
DRAFT=$(draft)
capture /tmp/liaison-bench-preview.sql $DB -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$DRAFT" "$API/v1/recognition-programs/acc/rules/preview"
capture /tmp/liaison-bench-eligibility.sql $DB -H "Authorization: Bearer $TOKEN" -H 'accept: text/csv' "$API/v1/summits/$SUMMIT/eligibility?program=acc"
kill $SERVER; wait $SERVER 2>/dev/null || true
capture_off $DB

serve
mean() { awk '{s+=$1; n++} END {printf "mean %.0f ms over %d runs", s/n*1000, n}'; }
echo "== the preview (threshold 10 → 12), $RUNS runs"
for _ in $(seq 1 "$RUNS"); do
  curl -s -o /tmp/liaison-bench-preview.json -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$DRAFT" "$API/v1/recognition-programs/acc/rules/preview"
done | mean; echo " (endpoint)"
python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-preview.json"))["total"];print("   eligible now", d["current"]["eligible"], "under the draft", d["draft"]["eligible"], "gained", d["gained"], "lost", d["lost"])'
pgbench $PG -n -f /tmp/liaison-bench-preview.sql -t "$RUNS" -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "   its statements (pgbench): mean " $4 " ms"}'
echo "== one eligibility read (every eligible member, CSV), $RUNS runs"
for _ in $(seq 1 "$RUNS"); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -H 'accept: text/csv' "$API/v1/summits/$SUMMIT/eligibility?program=acc"
done | mean; echo " (endpoint)"
pgbench $PG -n -f /tmp/liaison-bench-eligibility.sql -t "$RUNS" -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "   its statements (pgbench): mean " $4 " ms"}'
kill $SERVER; wait $SERVER 2>/dev/null || true
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
