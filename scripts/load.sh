#!/usr/bin/env bash
# Load run (issue 17) on the large data set (`seed-demo --scale large`):
#  1. each read route alone at 64 connections, beside `pgbench -f` running
#     that route's own statements with 64 clients (captured from the
#     server's own requests), in the same run;
#  2. the targets' pairs: a region anonymously and with a token, an
#     idempotent replay beside a GET by id, one member's explanation beside
#     its SQL (1 connection), logins beside the cores' Argon2 capacity, and
#     the eligibility of every member end to end;
#  3. the realistic mix at 64 connections, closed loop (maximum), then at a
#     constant rate of half that maximum (honest tails);
#  4. the server's peak RSS.
#
#   scripts/load.sh                      # 20 s per measurement
#   BENCH_SECONDS=60 scripts/load.sh
#
# Needs: pgbench, psql, python3, PostgreSQL on 127.0.0.1:5432 with its log
# readable (scripts/capture-statements.sh). The load generator is
# tools/load (`liaison-load`), built here.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/capture-statements.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
S="${BENCH_SECONDS:-20}"
PORT="${BENCH_PORT:-18095}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_load
API="http://127.0.0.1:$PORT"
OUT=/tmp/liaison-load
SUMMIT_REDEEM=00000000-0000-7000-8000-0000000000b1
mkdir -p $OUT

cargo build --release -q -p liaison-api --bin liaison
cargo build --release -q -p liaison-load
BIN="$CARGO_TARGET_DIR/release/liaison"
LOAD="$CARGO_TARGET_DIR/release/liaison-load"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-warn}"
# Many clients share one address here, as behind a proxy.
export LIAISON_AUTH_RATE_LIMIT=1000000
# BENCH_REUSE=1 keeps a database an earlier run loaded.
if [ "${BENCH_REUSE:-}" != 1 ]; then
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
echo "== seeding the large data set"
"$BIN" seed-demo --scale large | tail -1

# Members 1–256 of the large set sign in with the demo password (they lead
# groups 1–256); the redemption summit holds 20,000 passes issued in bulk.
psql $PG -q -v ON_ERROR_STOP=1 "$DB" <<SQL
UPDATE members SET password_hash = (SELECT password_hash FROM members WHERE email = 'staff@liaison.example')
 WHERE email IN (SELECT 'member' || g || '@scale.example' FROM generate_series(1, 256) g);
UPDATE summit_programs SET quota = 100000;
INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff) VALUES
  ('$SUMMIT_REDEEM', 'Redemption', 'Lisbon', current_date + 60, current_date + 62, current_date);
INSERT INTO summit_programs (summit_id, program, rules_version, quota) VALUES ('$SUMMIT_REDEEM', 'acc', 1, 20000);
SQL
fi
SUMMIT=$(psql $PG -qtAc "SELECT id FROM summits WHERE name = 'Community Summit 2027'" "$DB")

SERVER=""
serve() {
  "$BIN" serve 2>>$OUT/server.log &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.1; done
}
stop() { kill $SERVER; wait $SERVER 2>/dev/null || true; }
# The server's peak RSS so far, noted with what it had just done.
hwm() { echo "$1|$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")" >> $OUT/hwm.txt; }
trap 'kill $SERVER 2>/dev/null || true; capture_off $DB 2>/dev/null || true' EXIT
token() {
  curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"liaison-demo-password\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'
}

serve
STAFF=$(token staff@liaison.example)
curl -sf -o /dev/null "$API/v1/summits/$SUMMIT_REDEEM/passes/issue" -H "authorization: Bearer $STAFF" \
  -H 'content-type: application/json' -H 'Idempotency-Key: load-redeem' -d '{"program":"acc"}'
for g in $(seq 1 256); do token "member$g@scale.example"; done > $OUT/tokens.txt
MEMBER1=$(head -1 $OUT/tokens.txt)
REGION_ID=$(curl -sf -H 'Idempotency-Key: load-replay' -H "authorization: Bearer $STAFF" -H 'content-type: application/json' \
  -d '{"slug":"load-replay","name":"Replayed","ambassador_seats":1,"countries":[]}' "$API/v1/regions" | python3 -c 'import json,sys;print(json.load(sys.stdin)["slug"])')

# The mix's data, from the database: what each route walks through.
psql $PG -qtAc "SELECT code FROM passes WHERE summit_id = '$SUMMIT_REDEEM'" "$DB" > $OUT/codes.txt
psql $PG -qtAc "SELECT id FROM feedback ORDER BY id LIMIT 5000" "$DB" > $OUT/feedback.txt
psql $PG -qtAc "SELECT id FROM members WHERE email LIKE 'member%@scale.example' AND id NOT IN (SELECT member_id FROM passes) ORDER BY id LIMIT 30000" "$DB" > $OUT/unpassed.txt
psql $PG -qtAc "SELECT g FROM generate_series(1, 256) g" "$DB" | while read -r g; do
  psql $PG -qtAc "SELECT md5('group' || $g)::uuid" "$DB"; done > $OUT/groups.txt
OUT=$OUT STAFF=$STAFF SUMMIT=$SUMMIT MEMBER1=$MEMBER1 REGION=$REGION_ID python3 scripts/load_mix.py

# The 20,000 pass mails go out before anything is measured.
for _ in $(seq 1 600); do
  [ "$(psql $PG -qtAc "SELECT count(*) FROM outbox WHERE status = 'pending'" "$DB")" = 0 ] && break
  sleep 1
done

# 1. Read routes alone, then their own SQL through pgbench.
stop
capture_on $DB
# Captured with the summary memo off, so the summary runs its statement.
LIAISON_SUMMARY_CACHE_SECS=0 serve
while IFS='|' read -r name path auth; do
  header=(); [ "$auth" = member ] && header=(-H "authorization: Bearer $MEMBER1")
  capture "$OUT/sql-$name.sql" $DB "${header[@]}" "$API$path"
done < $OUT/reads.txt
stop
capture_off $DB
serve
echo "== 1. read routes alone (64 connections, ${S}s each) beside pgbench -f with their SQL"
: > $OUT/reads.md
: > $OUT/hwm.txt
hwm "started"
while IFS='|' read -r name path auth; do
  "$LOAD" --base "$API" --mix "$OUT/mix-$name.json" --connections 64 --seconds "$S" --out "$OUT/run-$name.json" >/dev/null
  tps=$(pgbench $PG -n -f "$OUT/sql-$name.sql" -c 64 -j 2 -T "$S" "$DB" 2>/dev/null | awk '/^tps/ {print int($3)}')
  python3 - "$OUT/run-$name.json" "$name" "$path" "$tps" "$(grep -c . "$OUT/sql-$name.sql")" >> $OUT/reads.md <<'PY'
import json, sys
run, name, path, tps, statements = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
r = json.load(open(run))["routes"]["all"]
print(f"| `{path}` ({name}) | {r['per_second']:,.0f} | {r['p50_ms']:.2f} / {r['p99_ms']:.2f} | {r['unexpected']} | {tps:,} ({statements} statements) | {100 * r['per_second'] / tps:.0f} % |")
PY
done < $OUT/reads.txt

hwm "read routes alone"
echo "== 2. the targets' pairs"
"$LOAD" --base "$API" --mix "$OUT/mix-replay.json" --connections 64 --seconds "$S" --out "$OUT/run-replay.json" >/dev/null
"$LOAD" --base "$API" --mix "$OUT/mix-by-id.json" --connections 64 --seconds "$S" --out "$OUT/run-by-id.json" >/dev/null
"$LOAD" --base "$API" --mix "$OUT/mix-explain.json" --connections 1 --seconds "$S" --out "$OUT/run-explain-1.json" >/dev/null
EXPLAIN_SQL_MS=$(pgbench $PG -n -f "$OUT/sql-explanation.sql" -c 1 -T "$S" "$DB" 2>/dev/null | awk '/latency average/ {print $4}')
"$LOAD" --base "$API" --mix "$OUT/mix-login.json" --connections 1 --seconds 5 --out "$OUT/run-login-1.json" >/dev/null
"$LOAD" --base "$API" --mix "$OUT/mix-login.json" --connections 64 --seconds "$S" --out "$OUT/run-login-64.json" >/dev/null
hwm "replays, explanations, logins"
for i in 1 2 3; do
  curl -s -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $STAFF" "$API/v1/summits/$SUMMIT/eligibility?program=acc"
done > $OUT/eligibility.txt

hwm "eligibility of every member, 3 times"
echo "== 3. the mix, 64 connections, closed loop, ${S}s"
"$LOAD" --base "$API" --mix "$OUT/mix.json" --connections 64 --seconds "$S" --out "$OUT/run-mix.json" | tee $OUT/mix-closed.md
RATE=$(python3 -c "import json;print(int(json.load(open('$OUT/run-mix.json'))['routes']['all']['per_second'] / 2))")
# Fresh codes and members for the second run.
python3 scripts/load_mix.py --second-half "$OUT"
echo "== 3. the mix, 64 connections, constant $RATE req/s, ${S}s"
"$LOAD" --base "$API" --mix "$OUT/mix.json" --connections 64 --rate "$RATE" --seconds "$S" --out "$OUT/run-mix-rate.json" | tee $OUT/mix-rate.md
hwm "the mix, closed loop and constant rate"
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
stop

python3 - "$OUT" "$EXPLAIN_SQL_MS" "$RSS_KB" <<'PY'
import json, sys
out, explain_sql, rss = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
run = lambda n: json.load(open(f"{out}/run-{n}.json"))["routes"]["all"]
reads = {l.split("(")[1].split(")")[0]: l for l in open(f"{out}/reads.md")}
anon, auth = run("region-anonymous"), run("region-member")
replay, by_id = run("replay"), run("by-id")
explain = run("explain-1")
login1, login64 = run("login-1"), run("login-64")
elig = [float(x) for x in open(f"{out}/eligibility.txt")]
cores = 2
print("\n| measure | target | measured |\n| --- | --- | --- |")
print(f"| `GET /v1/regions` beside `pgbench -f` with its SQL | ≥ 50 % | {reads['regions'].rsplit('|', 2)[1].strip()} |")
print(f"| a region with a member's token, beside anonymously | ≥ 85 % | {auth['per_second']:,.0f} / {anon['per_second']:,.0f} req/s = {100 * auth['per_second'] / anon['per_second']:.0f} % |")
print(f"| idempotent replay of `POST /v1/regions` beside `GET /v1/regions/{{slug}}` (p50) | ≤ 1.2× | {replay['p50_ms']:.2f} / {by_id['p50_ms']:.2f} ms = {replay['p50_ms'] / by_id['p50_ms']:.2f}× ({replay['per_second']:,.0f} / {by_id['per_second']:,.0f} req/s) |")
print(f"| one member's explanation beside its SQL (1 connection, mean) | ≤ 3× | {explain['p50_ms']:.2f} ms p50 / {explain_sql:.3f} ms = {explain['p50_ms'] / explain_sql:.1f}× |")
capacity = cores / (login1['p50_ms'] / 1000)
print(f"| logins at 64 connections beside cores ÷ one sign-in | ≥ 80 % | {login64['per_second']:.0f} req/s / ({cores} ÷ {login1['p50_ms']:.1f} ms = {capacity:.0f}/s) = {100 * login64['per_second'] / capacity:.0f} % |")
print(f"| eligibility of every member, end to end (3 runs) | ≤ 0.5 s | {', '.join(f'{x:.2f}' for x in elig)} s |")
print(f"| server peak RSS (VmHWM), whole run | ≤ 100 MiB | {rss // 1024} MiB |")
PY
echo
echo "| after | server peak RSS (VmHWM) |"
echo "| --- | --- |"
awk -F'|' '{printf "| %s | %d MiB |\n", $1, $2 / 1024}' $OUT/hwm.txt
echo
echo "| route | req/s alone | p50 / p99 ms | unexpected | pgbench -f, 64 clients (TPS) | API ÷ SQL |"
echo "| --- | --- | --- | --- | --- | --- |"
cat $OUT/reads.md
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
