#!/usr/bin/env bash
# Contribution import benchmark (issue 13), in one run:
#  1. POST /v1/contributions/import of 5,000 rows matched by email, as new
#     rows (a fresh source each run) and as a repeat (all unchanged);
#  2. beside the bare `INSERT … ON CONFLICT (source, external_id) DO UPDATE
#     … WHERE (the row differs)` of the same 5,000 rows (members already
#     resolved to ids) through pgbench, new and repeated: once as one
#     multi-row VALUES statement (what a hand-written import would send),
#     once as INSERT … SELECT from a table holding the rows (the writing alone,
#     nothing to parse: the floor).
#
#   scripts/bench-import.sh          (BENCH_RUNS=5 by default)
#
# Needs: psql, pgbench, curl, python3, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18085}"
RUNS="${BENCH_RUNS:-5}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_import
API="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/liaison-bench-import.XXXXXX)

for tool in pgbench psql curl python3; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-warn}"
"$BIN" migrate 2>/dev/null
LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example >/dev/null 2>&1

echo "== loading 5,000 members"
psql $PG -q -v ON_ERROR_STOP=1 "$DB" <<'SQL'
INSERT INTO members (id, email, password_hash, display_name, country)
SELECT uuid_generate_v7(), 'op' || g || '@bench.example', 'x', 'Operator ' || g, 'FR' FROM generate_series(1, 5000) g;
UPDATE members SET email_verified_at = created_at WHERE email_verified_at IS NULL;
VACUUM ANALYZE;
SQL
psql $PG -qtAc "SELECT id || ',' || email FROM members WHERE email LIKE 'op%@bench.example'" "$DB" > "$WORK/members.csv"

# The same 5,000 rows twice: as the endpoint's JSON (emails, upper-cased
# half the time, as CSVs write them) and as the bare statement's VALUES
# (member ids, as the endpoint resolves them).
python3 - "$WORK" <<'PY'
import datetime, json, sys
work = sys.argv[1]
members = [line.strip().split(",") for line in open(f"{work}/members.csv") if line.strip()]
today = datetime.date.today()
rows, values, plain = [], [], []
for n, (member_id, email) in enumerate(members):
    day = (today - datetime.timedelta(days=1 + n % 300)).isoformat()
    title = f"Answered question {n} on live migration"
    url = f"https://ask.example.org/a/{n}"
    rows.append({"external_id": f"a-{n}", "email": email.upper() if n % 2 else email, "kind": "talk_given",
                 "occurred_on": day, "title": title, "evidence_url": url})
    values.append(f"(uuid_generate_v7(), '{member_id}'::uuid, 'talk_given', '{day}'::date, '{title}', '{url}', "
                  f"NULL::uuid, 'verified', NULL::uuid, NULL::uuid, now(), :src, 'a-{n}')")
    plain.append(f"{member_id},{day},{title},{url},a-{n}")
json.dump(rows, open(f"{work}/rows.json", "w"))
sql = ("INSERT INTO contributions AS c (id, member_id, kind, occurred_on, title, evidence_url, group_id, status,\n"
       "  verified_by, verified_by_service_account, decided_at, source, external_id) VALUES\n" + ",\n".join(values) +
       "\nON CONFLICT (source, external_id) WHERE source IS NOT NULL DO UPDATE SET\n"
       "  member_id = EXCLUDED.member_id, kind = EXCLUDED.kind, occurred_on = EXCLUDED.occurred_on, title = EXCLUDED.title,\n"
       "  evidence_url = EXCLUDED.evidence_url, group_id = EXCLUDED.group_id, decided_at = now(), updated_at = now()\n"
       "WHERE (c.member_id, c.kind, c.occurred_on, c.title, c.evidence_url, c.group_id)\n"
       "  IS DISTINCT FROM (EXCLUDED.member_id, EXCLUDED.kind, EXCLUDED.occurred_on, EXCLUDED.title, EXCLUDED.evidence_url, EXCLUDED.group_id);\n")
open(f"{work}/bare-new.sql", "w").write("\\set s random(1, 1000000000)\n" + sql.replace(":src", "'bare-' || :s"))
open(f"{work}/bare-repeat.sql", "w").write(sql.replace(":src", "'bare-fixed'"))
open(f"{work}/rows.csv", "w").write("\n".join(plain) + "\n")
head, tail = sql.split(" VALUES\n")[0], "\nON CONFLICT" + sql.split("\nON CONFLICT")[1]
select = (head + "\nSELECT uuid_generate_v7(), member_id, 'talk_given', day, title, url, NULL::uuid, 'verified', NULL::uuid,"
          " NULL::uuid, now(), :src, external_id FROM bench_rows" + tail)
open(f"{work}/select-new.sql", "w").write("\\set s random(1, 1000000000)\n" + select.replace(":src", "'select-' || :s"))
open(f"{work}/select-repeat.sql", "w").write(select.replace(":src", "'select-fixed'"))
PY
echo "body: $(python3 -c "import json,sys;print(len(json.dumps({'source':'x','dry_run':False,'contributions':json.load(open(sys.argv[1]))})))" "$WORK/rows.json") bytes"

"$BIN" serve 2>"$WORK/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')

body() { # source → a request body file
  python3 -c "import json,sys;json.dump({'source':sys.argv[2],'dry_run':False,'contributions':json.load(open(sys.argv[1]))},open(sys.argv[3],'w'))" \
    "$WORK/rows.json" "$1" "$WORK/body-$1.json"
}
send() { # source, key → time_total in seconds; the answer in $WORK/answer.json
  curl -s -o "$WORK/answer.json" -w '%{time_total}\n' "$API/v1/contributions/import" \
    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -H "Idempotency-Key: $2" \
    --data-binary "@$WORK/body-$1.json"
}
stats() { sort -n | awk '{a[NR]=$1; s+=$1} END {printf "mean %.1f ms, min %.1f ms, median %.1f ms (%d runs)\n", s/NR*1000, a[1]*1000, a[int((NR+1)/2)]*1000, NR}'; }

echo "== 1. endpoint, 5,000 new rows (a fresh source per run)"
for i in $(seq 1 "$RUNS"); do body "bench-$i"; done
for i in $(seq 1 "$RUNS"); do send "bench-$i" "new-$i"; done | stats
python3 -c 'import json,sys;a=json.load(open(sys.argv[1]));print("answer:", {k: a[k] for k in ("created","updated","unchanged")}, "unknown:", len(a["unknown_members"]))' "$WORK/answer.json"
echo "== 2. endpoint, the same 5,000 rows again (all unchanged)"
for i in $(seq 1 "$RUNS"); do send "bench-1" "repeat-$i"; done | stats
python3 -c 'import json,sys;a=json.load(open(sys.argv[1]));print("answer:", {k: a[k] for k in ("created","updated","unchanged")})' "$WORK/answer.json"

echo "== 3. bare INSERT … ON CONFLICT of the same rows (pgbench, one client): one multi-row VALUES statement"
pgbench $PG -n -f "$WORK/bare-new.sql" -t "$RUNS" -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "new rows: mean " $4 " ms"}'
psql $PG -q -v ON_ERROR_STOP=1 -f "$WORK/bare-repeat.sql" "$DB" >/dev/null   # the first time creates them
pgbench $PG -n -f "$WORK/bare-repeat.sql" -t "$RUNS" -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "repeated (all unchanged): mean " $4 " ms"}'
psql $PG -q -v ON_ERROR_STOP=1 "$DB" -c "CREATE TABLE bench_rows (member_id uuid, day date, title text, url text, external_id text)" \
  -c "\\copy bench_rows FROM '$WORK/rows.csv' CSV"
psql $PG -q -v ON_ERROR_STOP=1 -f "$WORK/select-repeat.sql" "$DB" >/dev/null
pgbench $PG -n -f "$WORK/select-new.sql" -t "$RUNS" -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "INSERT … SELECT from a table of the rows, new rows: mean " $4 " ms"}'
pgbench $PG -n -f "$WORK/select-repeat.sql" -t "$RUNS" -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "INSERT … SELECT from a table of the rows, repeated: mean " $4 " ms"}'
psql $PG -qtAc "SELECT 'contributions: ' || count(*) || ' (' || count(DISTINCT (source, external_id)) || ' distinct keys)' FROM contributions" "$DB"
