#!/usr/bin/env bash
# Linear cost (issue 17): eligibility, the feedback summary and the group
# list at several sizes of the large data set. Each size is the set of
# `seed-demo --scale large` with its counts multiplied (members, groups and
# feedback items; events, votes and contributions follow per member and per
# group), loaded on a fresh database, then each endpoint timed through the
# server (the summary memo off, so every request computes).
#
#   scripts/bench-scale.sh                  # 10 % and 100 %
#   BENCH_SCALES="0.1 1 10" scripts/bench-scale.sh   # and 1,000 % (10M contributions, long)
#
# Needs: psql, python3, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
SCALES="${BENCH_SCALES:-0.1 1}"
PORT="${BENCH_PORT:-18096}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_scale_bench
API="http://127.0.0.1:$PORT"
OUT=/tmp/liaison-scale
mkdir -p $OUT

cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG=warn
export LIAISON_SUMMARY_CACHE_SECS=0 LIAISON_AUTH_RATE_LIMIT=1000000
# What a statement costs at each size, not where the request limit cuts it.
export LIAISON_STATEMENT_TIMEOUT_MS="${LIAISON_STATEMENT_TIMEOUT_MS:-300000}"
SERVER=""
trap 'kill $SERVER 2>/dev/null || true' EXIT

# Median of n timings of one request, in ms.
median_ms() {
  local n=$1
  shift
  for _ in $(seq 1 "$n"); do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done |
    sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR + 1) / 2)] * 1000}'
}

echo "| scale | members | contributions | feedback items | groups in the region | eligibility (every member) | feedback summary (component × region) | group list, a page of 50 | group list, the region's CSV |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for f in $SCALES; do
  members=$(python3 -c "print(int(100000 * $f))")
  groups=$(python3 -c "print(int(2000 * $f))")
  items=$(python3 -c "print(int(200000 * $f))")
  sed -e "s/generate_series(1, 100000)/generate_series(1, $members)/g" -e "s/g % 100000)/g % $members)/g" \
      -e "s/generate_series(1, 2000) g/generate_series(1, $groups) g/g" -e "s/(1 + g % 2000)/(1 + g % $groups)/g" \
      -e "s/% 200000)/% $items)/g" -e "s/generate_series(1, 200000)/generate_series(1, $items)/g" \
      -e "s/(m \* 7919/(m::bigint * 7919/" \
      crates/api/sql/seed-large.sql > $OUT/seed-$f.sql
  psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
  "$BIN" seed-demo >/dev/null
  start=$(date +%s)
  psql $PG -q -1 -v ON_ERROR_STOP=1 -f $OUT/seed-$f.sql "$DB" >/dev/null
  psql $PG -qc "VACUUM ANALYZE" "$DB"
  seeded=$(( $(date +%s) - start ))
  "$BIN" serve 2>>$OUT/server.log &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.1; done
  STAFF=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
    -d '{"email":"staff@liaison.example","password":"liaison-demo-password"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
  SUMMIT=$(psql $PG -qtAc "SELECT id FROM summits WHERE name = 'Community Summit 2027'" "$DB")
  contributions=$(psql $PG -qtAc "SELECT count(*) FROM contributions" "$DB")
  in_region=$(psql $PG -qtAc "SELECT count(*) FROM groups g JOIN regions r ON r.id = g.region_id WHERE r.slug = 'scale-is'" "$DB")
  # A warm-up of each, then the timed runs.
  curl -s -o /dev/null -H "authorization: Bearer $STAFF" "$API/v1/summits/$SUMMIT/eligibility?program=acc"
  curl -s -o /dev/null "$API/v1/feedback/summary?group_by=component,region"
  elig=$(median_ms 3 -H "authorization: Bearer $STAFF" "$API/v1/summits/$SUMMIT/eligibility?program=acc")
  summary=$(median_ms 3 "$API/v1/feedback/summary?group_by=component,region")
  page=$(median_ms 21 "$API/v1/groups?region=scale-is&limit=50")
  csv=$(median_ms 5 -H 'accept: text/csv' "$API/v1/groups?region=scale-is")
  kill $SERVER; wait $SERVER 2>/dev/null || true
  printf "| %s %% (seeded in %d s) | %'d | %'d | %'d | %'d | %s ms | %s ms | %s ms | %s ms |\n" \
    "$(python3 -c "print(round($f * 100))")" "$seeded" "$members" "$contributions" "$items" "$in_region" "$elig" "$summary" "$page" "$csv"
done
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
