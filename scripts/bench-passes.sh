#!/usr/bin/env bash
# Recognition and passes benchmark (issue 6), in one run:
#  1. eligibility of 100,000 members with 1,000,000 verified contributions:
#     every eligible member (the endpoint) beside the bare SQL in psql, and one
#     member's explanation;
#  2. bulk issuance of 10,000 passes beside one bare INSERT … SELECT of 10,000 rows;
#  3. redemption requests/s at 64 connections (wrk, each request a fresh code).
#
#   scripts/bench-passes.sh
#
# Needs: oha, wrk (Debian package `wrk`), psql, pgbench, python3, PostgreSQL on
# 127.0.0.1:5432 and its log readable (scripts/capture-statements.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/capture-statements.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18083}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_passes
API="http://127.0.0.1:$PORT"
SUMMIT=00000000-0000-7000-8000-0000000000a1
ISSUE_SUMMIT=00000000-0000-7000-8000-0000000000a2
BARE_SUMMIT=00000000-0000-7000-8000-0000000000a3

for tool in oha wrk pgbench; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-info,sqlx=warn,sea_orm=warn}"
"$BIN" migrate 2>/dev/null
LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example >/dev/null 2>&1

echo "== loading 100,000 members and 1,000,000 verified contributions"
psql $PG -q -v ON_ERROR_STOP=1 -c "INSERT INTO regions (id, slug, name, ambassador_seats) VALUES
  (uuid_generate_v7(), 'europe', 'Europe', 3), (uuid_generate_v7(), 'asia', 'Asia', 3), (uuid_generate_v7(), 'americas', 'Americas', 3)" "$DB"
time psql $PG -q -v ON_ERROR_STOP=1 -v summit=$SUMMIT -f scripts/sql/recognition-100k.sql "$DB"
psql $PG -q -v ON_ERROR_STOP=1 "$DB" <<SQL
INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff) VALUES
  ('$ISSUE_SUMMIT', 'Issuance', 'Lisbon', current_date + 60, current_date + 62, current_date),
  ('$BARE_SUMMIT', 'Bare SQL', 'Lisbon', current_date + 60, current_date + 62, current_date);
INSERT INTO summit_programs (summit_id, program, rules_version, quota) VALUES
  ('$ISSUE_SUMMIT', 'acc', 1, 10000), ('$BARE_SUMMIT', 'acc', 1, 10000);
VACUUM ANALYZE;
SQL
psql $PG -qtc "SELECT count(*) || ' contributions' FROM contributions" "$DB"

serve() {
  "$BIN" serve 2>>/tmp/liaison-bench-server.log &
  SERVER=$!
  for _ in $(seq 1 50); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.2; done
  TOKEN=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
    -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
}
trap 'kill $SERVER 2>/dev/null || true; capture_off $DB 2>/dev/null || true' EXIT
# The eligibility read's own statements, for the bare-SQL floor.
capture_on $DB
serve
capture /tmp/liaison-bench-eligible.sql $DB -H "authorization: Bearer $TOKEN" -H 'accept: text/csv' "$API/v1/summits/$SUMMIT/eligibility?program=acc"
kill $SERVER; wait $SERVER 2>/dev/null || true
capture_off $DB
serve

echo "== 1. eligibility of every member (endpoint, 3 runs)"
for i in 1 2 3; do
  curl -s -o /tmp/liaison-bench-eligible.csv -w '%{time_total} %{size_download}\n' -H "authorization: Bearer $TOKEN" -H 'accept: text/csv' "$API/v1/summits/$SUMMIT/eligibility?program=acc"
done | awk '{s+=$1; n++; size=$2} END {printf "endpoint (every row, CSV): mean %.0f ms over %d runs (%d bytes)\n", s/n*1000, n, size}'
echo "eligible members: $(($(wc -l < /tmp/liaison-bench-eligible.csv) - 1))"
pgbench $PG -n -f /tmp/liaison-bench-eligible.sql -t 3 -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "bare SQL (its statements, pgbench): mean " $4 " ms"}'
MEMBER=$(psql $PG -qtAc "SELECT id FROM members WHERE email = 'm4242@bench.example'" "$DB")
oha -n 100 -c 1 --no-tui --output-format json -H "authorization: Bearer $TOKEN" "$API/v1/summits/$SUMMIT/eligibility/$MEMBER?program=acc" > /tmp/liaison-bench-explain.json
python3 - <<'PY'
import json
d = json.load(open("/tmp/liaison-bench-explain.json"))
print(f"one member's explanation: mean {d['summary']['average']*1000:.2f} ms, p99 {d['latencyPercentiles']['p99']*1000:.2f} ms")
PY
echo "SELECT kind, occurred_on, status FROM contributions WHERE member_id = '$MEMBER' AND status IN ('verified', 'pending') AND occurred_on <= current_date;" > /tmp/liaison-bench-member.sql
pgbench $PG -n -f /tmp/liaison-bench-member.sql -t 100 -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "bare SQL of one member: mean " $4 " ms"}'

echo "== 2. bulk issuance of 10,000 passes"
curl -s -o /tmp/liaison-bench-issue.json -w 'endpoint: %{time_total} s\n' -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -H "Idempotency-Key: bench-issue" -d '{"program": "acc"}' "$API/v1/summits/$ISSUE_SUMMIT/passes/issue"
python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-issue.json"));print("issued:", d["issued_count"])'
psql $PG -q "$DB" -c '\timing on' -c "INSERT INTO passes (id, summit_id, program, member_id, code, status, origin)
  SELECT uuid_generate_v7(), '$BARE_SUMMIT', 'acc', id, lpad(upper(to_hex(row_number() OVER ())), 16, '0'), 'issued', 'bulk'
  FROM members WHERE email LIKE 'm%@bench.example' LIMIT 10000" | awk '/^Time:/ {print "bare INSERT … SELECT of 10,000 rows: " $2 " ms"}'

echo "== 3. redemption at 64 connections (each request a fresh code)"
curl -s -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -H "Idempotency-Key: bench-issue-all" \
  -d '{"program": "acc"}' "$API/v1/summits/$SUMMIT/passes/issue" > /dev/null
psql $PG -qtAc "SELECT code FROM passes WHERE summit_id = '$SUMMIT'" "$DB" > /tmp/liaison-bench-codes.txt
echo "codes available: $(wc -l < /tmp/liaison-bench-codes.txt)"
cat > /tmp/liaison-bench-redeem.lua <<LUA
local codes = {}
for line in io.lines("/tmp/liaison-bench-codes.txt") do codes[#codes + 1] = line end
local next_code = 0
local thread_id = 0
local threads = {}
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args) next_code = id end
request = function()
  next_code = next_code + 2
  local code = codes[(next_code % #codes) + 1]
  return wrk.format("POST", "/v1/passes/redeem", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $TOKEN"}, '{"code":"' .. code .. '"}')
end
local statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
LUA
wrk -t 2 -c 64 -d 15s --latency -s /tmp/liaison-bench-redeem.lua "$API" | grep -E "Requests/sec|99%|Non-2xx|requests in"
psql $PG -qtAc "SELECT count(*) || ' redeemed' FROM passes WHERE status = 'redeemed'" "$DB"

kill $SERVER; wait $SERVER 2>/dev/null || true
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
