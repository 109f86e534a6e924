#!/usr/bin/env bash
# Feedback benchmark (issue 11), in one run:
#  1. the summary grouped by component,region over 200,000 items and
#     2,000,000 votes: the endpoint beside the same statement through pgbench;
#  2. the similar-title lookup over 200,000 titles at 8 connections (wrk);
#  3. voting at 64 connections (wrk, a random item per request) beside
#     pgbench running the vote's own statements at 64 clients.
#
#   scripts/bench-feedback.sh          (BENCH_SECONDS=10 by default)
#
# Needs: wrk (Debian package `wrk`), psql, pgbench, python3, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18084}"
SECONDS_EACH="${BENCH_SECONDS:-10}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_feedback
API="http://127.0.0.1:$PORT"

for tool in wrk pgbench psql; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-warn}"
"$BIN" migrate 2>/dev/null
LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example >/dev/null 2>&1

echo "== loading 20 regions, 100,000 members, 200,000 items and 2,000,000 votes"
time psql $PG -q -v ON_ERROR_STOP=1 "$DB" <<'SQL'
INSERT INTO regions (id, slug, name, ambassador_seats)
SELECT uuid_generate_v7(), 'region-' || g, 'Region ' || g, 3 FROM generate_series(1, 20) g;
-- Twenty countries, one per region, from the ISO list.
INSERT INTO region_countries (country, region_id)
SELECT c, r.id FROM unnest(ARRAY['FR','DE','GB','ES','IT','NL','BE','PL','SE','NO','JP','KR','CN','IN','BR','AR','US','CA','AU','ZA']) WITH ORDINALITY AS t(c, n)
JOIN regions r ON r.slug = 'region-' || t.n;
INSERT INTO members (id, email, password_hash, display_name, country)
SELECT uuid_generate_v7(), 'm' || g || '@bench.example', 'x', 'Member ' || g,
       (ARRAY['FR','DE','GB','ES','IT','NL','BE','PL','SE','NO','JP','KR','CN','IN','BR','AR','US','CA','AU','ZA'])[1 + g % 20]
FROM generate_series(1, 100000) g;
UPDATE members SET email_verified_at = created_at WHERE email_verified_at IS NULL;
CREATE TEMP TABLE m AS SELECT id, row_number() OVER (ORDER BY id) AS n, country FROM members WHERE email LIKE 'm%@bench.example';
-- Items with ids …-00000000000N, so a load generator can name a random one.
INSERT INTO feedback (id, author_id, region_id, kind, component, title, body, severity, tags, canonical_id, created_at)
SELECT ('00000000-0000-7000-8000-' || lpad(g::text, 12, '0'))::uuid, m.id, rc.region_id,
       (ARRAY['bug','pain_point','feature_request','praise','question'])[1 + g % 5],
       (ARRAY['compute','networking','block-storage','object-storage','identity','dashboard','deployment','documentation'])[1 + g % 8],
       -- Five words of a 2,000-word vocabulary per title: titles as varied as a tracker's.
       wa[1 + abs(hashtext(g || 'a')) % 2000] || ' ' || wa[1 + abs(hashtext(g || 'b')) % 2000] || ' '
         || wa[1 + abs(hashtext(g || 'c')) % 2000] || ' ' || wa[1 + abs(hashtext(g || 'd')) % 2000] || ' '
         || wa[1 + abs(hashtext(g || 'e')) % 2000],
       'Observed on our production cloud, item ' || g || '.', 'medium', '{}',
       ('00000000-0000-7000-8000-' || lpad(g::text, 12, '0'))::uuid,
       now() - (g % 700) * interval '1 day'
FROM generate_series(1, 200000) g JOIN m ON m.n = 1 + g % 100000 JOIN region_countries rc ON rc.country = m.country
CROSS JOIN (SELECT array_agg(translate(substr(md5('w' || n), 1, 4 + n % 6), '0123456789', 'ghijklmnop') ORDER BY n) AS wa
            FROM generate_series(0, 1999) n) words;
-- Twenty votes per member on distinct items.
INSERT INTO feedback_votes (feedback_id, member_id)
SELECT ('00000000-0000-7000-8000-' || lpad((1 + (m.n * 7919 + k * 10007) % 200000)::text, 12, '0'))::uuid, m.id
FROM m CROSS JOIN generate_series(1, 20) k
ON CONFLICT DO NOTHING;
VACUUM ANALYZE;
SQL
psql $PG -qtAc "SELECT count(*) || ' items, ' || (SELECT count(*) FROM feedback_votes) || ' votes' FROM feedback" "$DB"

"$BIN" serve 2>/tmp/liaison-bench-feedback.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')

echo "== 1. summary, group_by=component,region (5 runs each)"
for i in 1 2 3 4 5; do
  curl -s -o /tmp/liaison-bench-summary.json -w '%{time_total}\n' "$API/v1/feedback/summary?group_by=component,region"
done | sort -n | awk '{a[NR]=$1} END {printf "endpoint: median %.0f ms\n", a[3]*1000}'
python3 -c 'import json;print("buckets:", len(json.load(open("/tmp/liaison-bench-summary.json"))["buckets"]))'
cat > /tmp/liaison-bench-summary.sql <<'SQL'
WITH votes AS (
  SELECT d.canonical_id AS id, count(DISTINCT v.member_id)::bigint AS n
  FROM feedback_votes v JOIN feedback d ON d.id = v.feedback_id GROUP BY d.canonical_id
),
c AS (
  SELECT f.id, f.title, f.component, f.kind, f.status, f.group_id, f.region_id, f.created_at,
         r.slug AS region_slug, COALESCE(v.n, 0) AS votes
  FROM feedback f LEFT JOIN regions r ON r.id = f.region_id LEFT JOIN votes v ON v.id = f.id
  WHERE f.status <> 'duplicate'
),
keyed AS (
  SELECT c.*, c.component AS key1, c.region_slug AS key2,
         row_number() OVER (PARTITION BY c.component, c.region_slug ORDER BY c.votes DESC, c.id) AS rank
  FROM c
)
SELECT key1, key2, count(*)::bigint AS items, sum(votes)::bigint AS votes,
       count(DISTINCT group_id)::bigint AS groups, count(DISTINCT region_id)::bigint AS regions,
       COALESCE(jsonb_agg(jsonb_build_object('id', id, 'title', title, 'votes', votes) ORDER BY rank)
                FILTER (WHERE rank <= 3), '[]'::jsonb) AS top
FROM keyed GROUP BY key1, key2 ORDER BY items DESC, key1 NULLS LAST, key2 NULLS LAST;
SQL
pgbench $PG -n -f /tmp/liaison-bench-summary.sql -t 5 -c 1 "$DB" 2>/dev/null | awk '/latency average/ {print "bare SQL (same statement, pgbench): mean " $4 " ms"}'

echo "== 2. similar titles, 8 connections, ${SECONDS_EACH}s (q: the first four words of an existing title)"
TITLE=$(psql $PG -qtAc "SELECT title FROM feedback WHERE id = '00000000-0000-7000-8000-000000004242'" "$DB" | cut -d' ' -f1-4)
echo "q = $TITLE"
wrk -t 2 -c 8 -d "${SECONDS_EACH}s" --latency -H "Authorization: Bearer $TOKEN" \
  "$API/v1/feedback/similar?q=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$TITLE")" | grep -E 'Requests/sec|50%|99%|Non-2xx'
Q="'$TITLE'"
echo "SELECT id, title, status, similarity(title, $Q) AS similarity FROM feedback WHERE title % $Q AND status <> 'duplicate' ORDER BY similarity DESC, id LIMIT 10;" > /tmp/liaison-bench-similar.sql
pgbench $PG -n -f /tmp/liaison-bench-similar.sql -T "$SECONDS_EACH" -c 8 -j 2 "$DB" 2>/dev/null | awk '/latency average|tps/ {print "bare SQL: " $0}'

echo "== 3. voting, 64 connections, ${SECONDS_EACH}s (a random item per request)"
cat > /tmp/liaison-bench-vote.lua <<'LUA'
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local n = math.random(1, 200000)
  return wrk.format(nil, string.format("/v1/feedback/00000000-0000-7000-8000-%012d/votes", n))
end
LUA
wrk -t 2 -c 64 -d "${SECONDS_EACH}s" --latency -s /tmp/liaison-bench-vote.lua -H "Authorization: Bearer $TOKEN" "$API" | grep -E 'Requests/sec|50%|99%|Non-2xx'
ADMIN=$(psql $PG -qtAc "SELECT id FROM members WHERE email = 'bench@liaison.example'" "$DB")
cat > /tmp/liaison-bench-vote.sql <<SQL
\set n random(1, 200000)
BEGIN;
SELECT f.id, f.canonical_id, f.status FROM feedback f WHERE f.id = ('00000000-0000-7000-8000-' || lpad(:n::text, 12, '0'))::uuid;
INSERT INTO feedback_votes (feedback_id, member_id, group_id)
SELECT f.canonical_id, '$ADMIN', NULL FROM feedback f WHERE f.id = ('00000000-0000-7000-8000-' || lpad(:n::text, 12, '0'))::uuid
  AND NOT EXISTS (SELECT 1 FROM feedback d JOIN feedback_votes v ON v.feedback_id = d.id WHERE d.canonical_id = f.canonical_id AND v.member_id = '$ADMIN')
ON CONFLICT (feedback_id, member_id) DO NOTHING;
INSERT INTO audit_log (id, actor_type, actor_id, action, entity_type, entity_id, summary)
VALUES (gen_random_uuid(), 'member', '$ADMIN', 'feedback.voted', 'feedback', :n::text, '{}');
SELECT (SELECT count(DISTINCT v.member_id) FROM feedback d JOIN feedback_votes v ON v.feedback_id = d.id WHERE d.canonical_id = f.id)
FROM feedback f WHERE f.id = ('00000000-0000-7000-8000-' || lpad(:n::text, 12, '0'))::uuid;
COMMIT;
SQL
pgbench $PG -n -f /tmp/liaison-bench-vote.sql -T "$SECONDS_EACH" -c 64 -j 2 "$DB" 2>/dev/null | awk '/latency average|tps/ {print "bare SQL (the vote statements): " $0}'
