#!/usr/bin/env bash
# Proposal benchmark (issue 4): GET /v1/ambassador-cycles/{id}/proposal for a
# cycle with 5,000 submitted applications in 20 regions, 3 reviews each,
# beside the bare aggregate SQL it rests on (run through pgbench).
#
#   scripts/bench-proposal.sh
#
# Needs: oha, pgbench, psql, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18081}"
RUNS="${BENCH_RUNS:-50}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_proposal

command -v oha >/dev/null || { echo "oha is missing: cargo install oha" >&2; exit 1; }
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-info,sqlx=warn,sea_orm=warn}"
"$BIN" migrate
LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example >/dev/null

echo "== loading 20 regions, 5,000 applications, 15,000 reviews"
psql $PG -q -v ON_ERROR_STOP=1 "$DB" <<'SQL'
INSERT INTO regions (id, slug, name, ambassador_seats)
SELECT gen_random_uuid(), 'region-' || g, 'Region ' || g, 5 FROM generate_series(1, 20) g;
INSERT INTO members (id, email, password_hash, display_name, affiliation)
SELECT gen_random_uuid(), 'm' || g || '@bench.example', 'x', 'Member ' || g,
       CASE WHEN g % 3 = 0 THEN 'independent' ELSE 'company-' || (g % 50) END
FROM generate_series(1, 5060) g;
UPDATE members SET email_verified_at = created_at WHERE email_verified_at IS NULL;
INSERT INTO ambassador_cycles (id, name, opens_at, closes_at, weight_track_record, weight_geography, weight_impact, max_per_affiliation, term_months)
VALUES ('00000000-0000-7000-8000-000000000001', 'bench', now() - interval '30 days', now() + interval '30 days', 2, 1, 1, 3, 12);
INSERT INTO cycle_regions (cycle_id, region_id, seats)
SELECT '00000000-0000-7000-8000-000000000001', id, 5 FROM regions;
WITH m AS (SELECT id, affiliation, row_number() OVER (ORDER BY email) AS n FROM members WHERE email LIKE 'm%@bench.example'),
     r AS (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM regions)
INSERT INTO applications (id, cycle_id, member_id, region_id, status, why_apply, participation, ideas, affiliation, submitted_at)
SELECT gen_random_uuid(), '00000000-0000-7000-8000-000000000001', m.id, r.id, 'submitted',
       repeat('why ', 20), repeat('took part ', 10), repeat('idea ', 15), m.affiliation, now() - (m.n || ' seconds')::interval
FROM m JOIN r ON r.n = (m.n % 20) + 1
WHERE m.n <= 5000;
WITH a AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM applications),
     v AS (SELECT id, row_number() OVER (ORDER BY email) - 1 AS n
           FROM (SELECT id, email FROM members WHERE email LIKE 'm%@bench.example' ORDER BY email OFFSET 5000) reviewers)
INSERT INTO application_reviews (application_id, reviewer_id, track_record, geography, impact)
SELECT a.id, v.id, (a.n * 7 + k) % 6, (a.n * 5 + k) % 6, (a.n * 3 + k) % 6
FROM a CROSS JOIN generate_series(0, 2) k JOIN v ON v.n = (a.n * 3 + k) % 60;
ANALYZE;
SQL
psql $PG -qtc "SELECT count(*) AS applications FROM applications" "$DB"
psql $PG -qtc "SELECT count(*) AS reviews FROM application_reviews" "$DB"

"$BIN" serve 2>/tmp/liaison-bench-server.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf "http://127.0.0.1:$PORT/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
URL="http://127.0.0.1:$PORT/v1/ambassador-cycles/00000000-0000-7000-8000-000000000001/proposal"
echo "proposal JSON: $(curl -s -o /dev/null -w '%{size_download}' "$URL" -H "authorization: Bearer $TOKEN") bytes"
curl -sf "$URL" -H "authorization: Bearer $TOKEN" | python3 -c '
import json,sys
p=json.load(sys.stdin)
rows=sum(len(r["rows"]) for r in p["regions"]); proposed=sum(1 for r in p["regions"] for x in r["rows"] if x["proposed"])
print("proposal:", len(p["regions"]), "regions,", rows, "rows,", proposed, "proposed")'

echo "== endpoint, sequential, $RUNS requests"
oha -n "$RUNS" -c 1 --no-tui --output-format json -H "authorization: Bearer $TOKEN" "$URL" > /tmp/liaison-bench-proposal.json
python3 - <<'PY'
import json
d = json.load(open("/tmp/liaison-bench-proposal.json"))
l = d["latencyPercentiles"]
print(f"endpoint: mean {d['summary']['average']*1000:.1f} ms, p50 {l['p50']*1000:.1f} ms, p99 {l['p99']*1000:.1f} ms")
PY

echo "== bare aggregate SQL, sequential, $RUNS runs"
cat > /tmp/liaison-bench-proposal.sql <<'SQL'
SELECT a.id, a.member_id, a.region_id, a.status, a.affiliation, a.submitted_at,
       count(v.reviewer_id)::bigint AS reviews, avg(v.track_record)::float8 AS track_record,
       avg(v.geography)::float8 AS geography, avg(v.impact)::float8 AS impact
FROM applications a LEFT JOIN application_reviews v ON v.application_id = a.id
WHERE a.cycle_id = '00000000-0000-7000-8000-000000000001' AND a.status IN ('submitted', 'selected')
GROUP BY a.id;
SQL
pgbench $PG -n -f /tmp/liaison-bench-proposal.sql -t "$RUNS" -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "bare SQL: mean " $4 " ms"}'

kill $SERVER; wait $SERVER 2>/dev/null || true
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
