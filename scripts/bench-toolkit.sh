#!/usr/bin/env bash
# Ambassador toolkit benchmark (issue 12), in one run: the report draft and
# the region dashboard on a region of 200 groups and one of 2,000 groups
# (50,000 events, 20,000 feedback items, 60,000 votes, 10,000 claims, passes
# and live messages), with
#  1. the SQL statements one request runs (the `db_statements_total` series
#     of /metrics before and after), which must not grow with the region;
#  2. latency at 1 and 4 connections for BENCH_SECONDS each (wrk, closed
#     loop), beside the request's own statements (captured from PostgreSQL's
#     log by scripts/replay-statements.py) run by pgbench at the same
#     concurrency.
#
#   scripts/bench-toolkit.sh          (BENCH_SECONDS=10 by default)
#
# Needs: wrk (Debian package `wrk`), psql, pgbench, python3, PostgreSQL on
# 127.0.0.1:5432 and its log readable (PG_LOG, default /var/log/postgresql/…).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/capture-statements.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18085}"
SECONDS_EACH="${BENCH_SECONDS:-10}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_toolkit
API="http://127.0.0.1:$PORT"

for tool in wrk psql pgbench; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-warn}"
"$BIN" migrate 2>/dev/null
LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example >/dev/null 2>&1

# One region: :n groups in :country, each with an organizer, 25 events over
# two years, 10 feedback items (3 votes each, half triaged) and 5 claims by
# its organizer; an ambassador; passes for a tenth of the members.
cat > /tmp/liaison-bench-toolkit.sql <<'SQL'
INSERT INTO regions (id, slug, name, ambassador_seats) VALUES (uuid_generate_v7(), :'slug', :'slug', 3);
INSERT INTO region_countries (country, region_id) SELECT :'country', id FROM regions WHERE slug = :'slug';
INSERT INTO members (id, email, password_hash, display_name, country)
SELECT uuid_generate_v7(), :'slug' || '-m' || g || '@bench.example', 'x', 'Member ' || g, :'country' FROM generate_series(1, :n) g;
UPDATE members SET email_verified_at = created_at WHERE email_verified_at IS NULL;
CREATE TEMP TABLE m AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM members WHERE email LIKE :'slug' || '-m%';
INSERT INTO groups (id, slug, name, country, city, region_id, status, created_at, official_at)
SELECT uuid_generate_v7(), :'slug' || '-g' || m.n, 'Group ' || m.n, :'country', 'City', r.id,
       CASE WHEN m.n % 20 = 0 THEN 'pending' WHEN m.n % 3 = 0 THEN 'official' ELSE 'provisional' END,
       now() - (m.n % 730) * interval '1 day',
       CASE WHEN m.n % 3 = 0 AND m.n % 20 <> 0 THEN now() - (m.n % 365) * interval '1 day' END
FROM m, regions r WHERE r.slug = :'slug';
CREATE TEMP TABLE gg AS SELECT g.id, row_number() OVER (ORDER BY g.id) AS n FROM groups g JOIN regions r ON r.id = g.region_id WHERE r.slug = :'slug';
INSERT INTO group_organizers (group_id, member_id, role) SELECT gg.id, m.id, 'lead' FROM gg JOIN m ON m.n = gg.n;
INSERT INTO events (id, group_id, source, external_id, title, starts_at, ends_at, status, attendee_count)
SELECT uuid_generate_v7(), gg.id, 'bench', gg.n || '-' || k, 'Meetup ' || k, t, t + interval '2 hours',
       CASE WHEN t < now() THEN 'held' ELSE 'scheduled' END, CASE WHEN t < now() THEN 10 + (gg.n * k) % 90 END
FROM gg CROSS JOIN generate_series(1, 25) k
CROSS JOIN LATERAL (SELECT now() - interval '700 days' + (k * 29 + gg.n % 29) * interval '1 day' AS t) x;
CREATE TEMP TABLE f AS SELECT uuid_generate_v7() AS id, gg.id AS group_id, gg.n, k FROM gg CROSS JOIN generate_series(1, 10) k;
INSERT INTO feedback (id, author_id, group_id, region_id, kind, component, title, body, severity, canonical_id, status, created_at)
SELECT f.id, m.id, f.group_id, r.id, 'bug', 'compute', 'Item ' || f.n || '-' || f.k, 'Observed in production.', 'medium', f.id,
       CASE WHEN f.k % 2 = 0 THEN 'triaged' ELSE 'new' END, now() - ((f.n * 7 + f.k * 31) % 730) * interval '1 day'
FROM f JOIN m ON m.n = f.n, regions r WHERE r.slug = :'slug';
INSERT INTO feedback_history (id, feedback_id, from_status, to_status, changed_at)
SELECT uuid_generate_v7(), f.id, 'new', 'triaged', fb.created_at + interval '3 days' FROM f JOIN feedback fb ON fb.id = f.id WHERE f.k % 2 = 0;
INSERT INTO feedback_votes (feedback_id, member_id)
SELECT f.id, m.id FROM f CROSS JOIN generate_series(1, 3) v JOIN m ON m.n = 1 + (f.n + v * 17) % :n ON CONFLICT DO NOTHING;
INSERT INTO contributions (id, member_id, kind, occurred_on, title, group_id, status, decided_at)
SELECT uuid_generate_v7(), m.id, 'talk_given', current_date - ((m.n * 3 + k * 41) % 700)::int, 'Talk ' || k, gg.id,
       CASE WHEN k % 2 = 0 THEN 'pending' ELSE 'verified' END,
       CASE WHEN k % 2 = 1 THEN now() - ((m.n * 3 + k * 41) % 700) * interval '1 day' END
FROM m JOIN gg ON gg.n = m.n CROSS JOIN generate_series(1, 5) k;
INSERT INTO passes (id, summit_id, program, member_id, code, status, origin, issued_at)
SELECT uuid_generate_v7(), (SELECT id FROM summits WHERE name = 'Bench summit'), 'acc', m.id,
       upper(substr(translate(md5(:'slug' || m.n), 'ilou', 'abcd'), 1, 16)), 'issued', 'manual', now() - (m.n % 365) * interval '1 day'
FROM m WHERE m.n % 10 = 0;
INSERT INTO ambassador_cycles (id, name, opens_at, closes_at, weight_track_record, weight_geography, weight_impact, term_months)
VALUES (uuid_generate_v7(), 'Bench ' || :'slug', now() - interval '2 years', now() - interval '23 months', 1, 1, 1, 36);
INSERT INTO cycle_regions (cycle_id, region_id, seats)
SELECT c.id, r.id, 3 FROM ambassador_cycles c, regions r WHERE c.name = 'Bench ' || :'slug' AND r.slug = :'slug';
INSERT INTO applications (id, cycle_id, member_id, region_id, status, why_apply, participation, ideas, submitted_at, decided_at)
SELECT uuid_generate_v7(), c.id, m.id, r.id, 'selected', 'x', 'x', 'x', now() - interval '23 months', now() - interval '23 months'
FROM ambassador_cycles c, regions r, m WHERE c.name = 'Bench ' || :'slug' AND r.slug = :'slug' AND m.n = 1;
INSERT INTO ambassadorships (id, member_id, region_id, cycle_id, application_id, term_start, term_end, status)
SELECT uuid_generate_v7(), a.member_id, a.region_id, a.cycle_id, a.id, current_date - 700, current_date + 300, 'active'
FROM applications a JOIN ambassador_cycles c ON c.id = a.cycle_id WHERE c.name = 'Bench ' || :'slug';
-- Half the groups acknowledged three of the five live messages.
INSERT INTO message_acknowledgements (message_id, group_id, member_id)
SELECT ms.id, gg.id, m.id FROM gg JOIN m ON m.n = gg.n
CROSS JOIN (SELECT id FROM messages ORDER BY id LIMIT 3) ms WHERE gg.n % 2 = 0;
DROP TABLE m, gg, f;
SQL

echo "== loading a 200-group region and a 2,000-group region"
time {
psql $PG -q -v ON_ERROR_STOP=1 "$DB" <<'SQL'
INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff)
VALUES (uuid_generate_v7(), 'Bench summit', 'Lisbon', current_date + 90, current_date + 92, current_date);
INSERT INTO summit_programs (summit_id, program, rules_version, quota) SELECT id, 'acc', 1, 100000 FROM summits;
INSERT INTO messages (id, author_id, title, body, audience_all, created_at)
SELECT uuid_generate_v7(), (SELECT id FROM members LIMIT 1), 'Key message ' || g, 'Read this.', true, now() - g * interval '1 hour'
FROM generate_series(1, 5) g;
SQL
psql $PG -q -v ON_ERROR_STOP=1 -v slug=small -v country=JP -v n=200 -f /tmp/liaison-bench-toolkit.sql "$DB"
psql $PG -q -v ON_ERROR_STOP=1 -v slug=large -v country=FR -v n=2000 -f /tmp/liaison-bench-toolkit.sql "$DB"
psql $PG -q -c "VACUUM ANALYZE" "$DB"
}
psql $PG -qtA "$DB" -c "SELECT r.slug || ': ' || (SELECT count(*) FROM groups g WHERE g.region_id = r.id) || ' groups, '
  || (SELECT count(*) FROM events e JOIN groups g ON g.id = e.group_id WHERE g.region_id = r.id) || ' events, '
  || (SELECT count(*) FROM feedback f WHERE f.region_id = r.id) || ' feedback items' FROM regions r ORDER BY r.slug"

PERIOD=$(python3 -c 'import datetime as d;t=d.date.today();q=(t.month-1)//3;y,q=(t.year-1,4) if q==0 else (t.year,q);print(f"{y}-Q{q}")')
ship() { psql $PG -qtAc "SELECT s.id FROM ambassadorships s JOIN regions r ON r.id = s.region_id WHERE r.slug = '$1'" "$DB"; }
routes() { for slug in small large; do echo "$slug ambassadors/$(ship $slug)/reports/draft?period=$PERIOD"; echo "$slug regions/$slug/dashboard"; done; }
serve() {
  "$BIN" serve 2>>/tmp/liaison-bench-toolkit.log &
  SERVER=$!
  for _ in $(seq 1 50); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.2; done
  TOKEN=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
    -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
}
trap 'kill $SERVER 2>/dev/null || true; capture_off $DB 2>/dev/null || true' EXIT

# Run 1: PostgreSQL logs every statement of this database; each route is
# asked once (after a warm-up) and its statements become a pgbench script.
capture_on $DB
serve
while read -r slug route; do
  capture "/tmp/liaison-bench-$slug-$(basename "${route%%\?*}").sql" $DB -H "Authorization: Bearer $TOKEN" "$API/v1/$route"
done < <(routes)
kill $SERVER; wait $SERVER 2>/dev/null || true
capture_off $DB

percentiles() { # pgbench's per-transaction logs: latency (µs) is the third column
  cat "$1".* | python3 -c 'import sys;l=sorted(int(x.split()[2]) for x in sys.stdin);p=lambda q:l[min(len(l)-1,int(q*len(l)))]/1000;print(f"     p50 {p(.5):.2f} ms, p99 {p(.99):.2f} ms, {len(l)} transactions")'
  rm -f "$1".*
}

# Run 2: each route through the API (wrk) beside its own statements
# through pgbench, at 1 and 4 connections.
serve
statements() { curl -s "$API/metrics" | awk '/^db_statements_total/ {print $2}'; }
while read -r slug route; do
  name=$(basename "${route%%\?*}")
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$API/v1/$route" # warm
  before=$(statements)
  curl -sf -o /tmp/liaison-bench-toolkit.json -H "Authorization: Bearer $TOKEN" "$API/v1/$route"
  after=$(statements)
  echo "== $slug: GET /v1/${route%%\?*}: $((after - before)) statements per request ($(grep -c . "/tmp/liaison-bench-$slug-$name.sql") logged)"
  for c in 1 4; do
    echo "   $c connection(s), endpoint (wrk):"
    wrk -t 1 -c $c -d "${SECONDS_EACH}s" --latency -H "Authorization: Bearer $TOKEN" "$API/v1/$route" | grep -E 'Requests/sec|50%|99%|Non-2xx'
    echo "   $c connection(s), its statements (pgbench -f):"
    pgbench $PG -n -f "/tmp/liaison-bench-$slug-$name.sql" -T "$SECONDS_EACH" -c $c -j 1 -l --log-prefix=/tmp/liaison-pgbench "$DB" 2>/dev/null | grep -E '^tps' | sed 's/^/     /'
    percentiles /tmp/liaison-pgbench
  done
done < <(routes)
python3 -c 'import json;d=json.load(open("/tmp/liaison-bench-toolkit.json"));print("large dashboard totals:", {k: v["total"] for k, v in d.items() if isinstance(v, dict)})'
