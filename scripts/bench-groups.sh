#!/usr/bin/env bash
# Groups and events benchmark (issue 5), in one run:
#  1. PUT …/events/sync of 1,000 events, first time and unchanged, beside one
#     bare multi-row INSERT … ON CONFLICT of the same rows;
#  2. change-feed throughput (changes/s read) over 100,000 changes;
#  3. the group list with health for a region of 2,000 groups.
#
#   scripts/bench-groups.sh
#
# Needs: oha, psql, python3, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18082}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_groups
API="http://127.0.0.1:$PORT"

command -v oha >/dev/null || { echo "oha is missing: cargo install oha" >&2; exit 1; }
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-info,sqlx=warn,sea_orm=warn}"
"$BIN" migrate 2>/dev/null
ADMIN=$(LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example 2>/dev/null)

echo "== loading: region 'bench' with 2,000 groups (10 events each), 10 sync targets, 100,000 feed changes"
psql $PG -q -v ON_ERROR_STOP=1 -v admin="'$ADMIN'" "$DB" <<'SQL'
INSERT INTO regions (id, slug, name, ambassador_seats) VALUES ('00000000-0000-7000-8000-00000000000a', 'bench', 'Bench', 5);
INSERT INTO region_countries (country, region_id) VALUES ('FR', '00000000-0000-7000-8000-00000000000a');
-- 2,000 listed groups, each with one or two organizers and ten events around now.
INSERT INTO groups (id, slug, name, country, city, region_id, coc_accepted, status)
SELECT gen_random_uuid(), 'group-' || lpad(g::text, 4, '0'), 'Group ' || g, 'FR', 'Lyon',
       '00000000-0000-7000-8000-00000000000a', true, CASE WHEN g % 4 = 0 THEN 'official' ELSE 'provisional' END
FROM generate_series(1, 2000) g;
INSERT INTO group_organizers (group_id, member_id, role) SELECT id, :admin, 'lead' FROM groups;
INSERT INTO events (id, group_id, source, external_id, title, starts_at, ends_at, status, attendee_count)
SELECT gen_random_uuid(), g.id, 'manual', n::text, 'Meetup ' || n,
       now() + ((n - 7) * 30 || ' days')::interval, now() + ((n - 7) * 30 || ' days')::interval + interval '3 hours',
       CASE WHEN n <= 6 THEN 'held' ELSE 'scheduled' END, CASE WHEN n <= 6 THEN 20 + n ELSE NULL END
FROM groups g CROSS JOIN generate_series(1, 10) n;
-- Ten unlisted groups that the sync measurements write into, ten for the bare SQL.
INSERT INTO groups (id, slug, name, country, city, region_id, coc_accepted, status)
SELECT ('00000000-0000-7000-8000-0000000001' || lpad(g::text, 2, '0'))::uuid, 'sync-' || g, 'Sync ' || g, 'DE', 'Berlin', NULL, true, 'provisional'
FROM generate_series(10, 29) g;
INSERT INTO group_organizers (group_id, member_id, role) SELECT id, :admin, 'lead' FROM groups WHERE slug LIKE 'sync-%';
-- 100,000 feed changes (100 groups x 1,000 events).
INSERT INTO event_changes (event_id, group_id, kind, event, changed_at)
SELECT gen_random_uuid(), g.id, 'created',
       jsonb_build_object('id', gen_random_uuid(), 'group_id', g.id, 'source', 'manual', 'external_id', n::text,
         'title', 'Feed event ' || n, 'description', null, 'starts_at', now(), 'ends_at', now() + interval '1 hour',
         'venue', null, 'city', 'Lyon', 'country', 'FR', 'online', false, 'url', null, 'status', 'scheduled',
         'rsvp_count', 10, 'attendee_count', null, 'created_at', now(), 'updated_at', now()), now()
FROM (SELECT id FROM groups WHERE slug LIKE 'group-%' ORDER BY slug LIMIT 100) g CROSS JOIN generate_series(1, 1000) n;
ANALYZE;
SQL

"$BIN" serve 2>/tmp/liaison-bench-server.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')

python3 - "$API" "$TOKEN" <<'PY'
import datetime as dt, json, sys, time, urllib.request, uuid
api, token = sys.argv[1], sys.argv[2]
start = dt.datetime(2027, 1, 1, 18, tzinfo=dt.timezone.utc)
events = [{"external_id": f"e{n:04d}", "title": f"Meetup {n}", "starts_at": (start + dt.timedelta(days=n)).isoformat(),
           "ends_at": (start + dt.timedelta(days=n, hours=3)).isoformat(), "city": "Berlin", "country": "DE",
           "url": f"https://example.org/e/{n}", "rsvp_count": n % 100} for n in range(1000)]
body = json.dumps({"source": "meetup", "mode": "snapshot", "events": events}).encode()
def sync(group):
    req = urllib.request.Request(f"{api}/v1/groups/{group}/events/sync", data=body, method="PUT")
    req.add_header("Authorization", "Bearer " + token); req.add_header("Content-Type", "application/json")
    req.add_header("Idempotency-Key", str(uuid.uuid4()))
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        answer = json.loads(r.read())
    return (time.perf_counter() - t) * 1000, answer
first, again = [], []
for g in range(10, 20):
    ms, a = sync(f"sync-{g}"); assert a["created"] == 1000, a; first.append(ms)
for g in range(10, 20):
    ms, a = sync(f"sync-{g}"); assert a["unchanged"] == 1000, a; again.append(ms)
print(f"sync 1,000 events, first time: mean {sum(first)/len(first):.1f} ms, min {min(first):.1f} ms (10 groups)")
print(f"sync 1,000 events, unchanged:  mean {sum(again)/len(again):.1f} ms, min {min(again):.1f} ms (10 groups)")
print(f"sync body: {len(body)} bytes")
PY

echo "== bare INSERT … ON CONFLICT of the same 1,000 rows, 10 groups"
for g in $(seq 20 29); do
  echo "INSERT INTO events (id, group_id, source, external_id, title, starts_at, ends_at, city, country, url, status, rsvp_count)
  SELECT gen_random_uuid(), '00000000-0000-7000-8000-0000000001$g', 'meetup', 'e' || lpad(n::text, 4, '0'), 'Meetup ' || n,
         timestamptz '2027-01-01 18:00+00' + (n || ' days')::interval, timestamptz '2027-01-01 21:00+00' + (n || ' days')::interval,
         'Berlin', 'DE', 'https://example.org/e/' || n, 'scheduled', n % 100
  FROM generate_series(0, 999) n
  ON CONFLICT (group_id, source, external_id) DO NOTHING;"
done > /tmp/liaison-bench-insert.sql
psql $PG -q "$DB" -c '\timing on' -f /tmp/liaison-bench-insert.sql | awk '/^Time:/ {s+=$2; n++; if (min==""||$2<min) min=$2} END {printf "bare INSERT … ON CONFLICT: mean %.1f ms, min %.1f ms (%d runs)\n", s/n, min, n}'

echo "== change feed: read 100,000 changes following next_cursor (limit 1000)"
python3 - "$API" <<'PY'
import json, sys, time, urllib.request
api = sys.argv[1]
cursor, seen, pages = None, 0, 0
t = time.perf_counter()
while True:
    url = f"{api}/v1/events/changes?limit=1000" + (f"&cursor={cursor}" if cursor else "")
    with urllib.request.urlopen(url) as r:
        page = json.loads(r.read())
    pages += 1
    seen += len(page["items"]); cursor = page["next_cursor"]
    if not page["items"]:
        break
elapsed = time.perf_counter() - t
print(f"change feed: {seen} changes in {pages} pages, {elapsed:.2f} s, {seen/elapsed:,.0f} changes/s (client parsing included)")
PY

echo "== group list with health, region of 2,000 groups"
oha -n 50 -c 1 --no-tui --output-format json "$API/v1/groups?region=bench&limit=200" > /tmp/liaison-bench-list.json
python3 - <<'PY'
import json
d = json.load(open("/tmp/liaison-bench-list.json"))
mean, p99 = d["summary"]["average"] * 1000, d["latencyPercentiles"]["p99"] * 1000
print(f"GET /v1/groups?region=bench&limit=200 (a page of 200 with health): mean {mean:.1f} ms, p99 {p99:.1f} ms")
PY
for i in 1 2 3; do
  curl -s -o /tmp/liaison-bench-groups.csv -w '%{time_total}\n' -H 'Accept: text/csv' "$API/v1/groups?region=bench"
done | awk '{s+=$1; n++} END {printf "CSV of all 2,000 groups with health: mean %.1f ms over %d runs\n", s/n*1000, n}'
echo "CSV rows (with header): $(wc -l < /tmp/liaison-bench-groups.csv)"
oha -n 20 -c 1 --no-tui --output-format json -H "authorization: Bearer $TOKEN" "$API/v1/regions/bench/groups/attention" > /tmp/liaison-bench-attention.json
python3 - <<'PY'
import json
d = json.load(open("/tmp/liaison-bench-attention.json"))
print(f"GET /v1/regions/bench/groups/attention (2,000 groups checked): mean {d['summary']['average'] * 1000:.1f} ms")
PY

kill $SERVER; wait $SERVER 2>/dev/null || true
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
