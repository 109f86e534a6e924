#!/usr/bin/env bash
# Outbox benchmark (issue 14), in one run, mail to the folder sink:
#  1. throughput: a backlog of 20,000 mails delivered by 1, then by 3
#     `liaison worker` processes (deliveries/s, from the first claim to the
#     last sent);
#  2. lag from commit to delivery at a steady 200 changes/s (pgbench -R 200
#     commits one outbox row per transaction, one worker delivers): p50/p99
#     of sent_at − created_at;
#  3. what the outbox adds to bulk issuance of 10,000 passes: the endpoint's
#     time beside its outbox statement alone (one batch row listing the
#     10,000 passes, rolled back), and, after the commit, the expansion of
#     the batch into 10,000 mail rows and the time until the last is sent.
#
#   scripts/bench-outbox.sh          (BENCH_SECONDS=20 by default)
#
# Needs: psql, pgbench, python3, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORT="${BENCH_PORT:-18087}"
SECONDS_EACH="${BENCH_SECONDS:-20}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_outbox
API="http://127.0.0.1:$PORT"
MAIL=$(mktemp -d /tmp/liaison-bench-outbox.XXXXXX)
SUMMIT=00000000-0000-7000-8000-0000000000a1

command -v pgbench >/dev/null || { echo "pgbench is missing" >&2; exit 1; }
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG="${RUST_LOG:-warn}"
export LIAISON_MAIL_DIR="$MAIL" LIAISON_OUTBOX_POLL_MS="${LIAISON_OUTBOX_POLL_MS:-500}"
"$BIN" migrate 2>/dev/null
LIAISON_ADMIN_PASSWORD="bench-password-123" "$BIN" create-admin --email bench@liaison.example >/dev/null 2>&1
PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; done; rm -rf "$MAIL"' EXIT

backlog() {
  psql $PG -q "$DB" -c "INSERT INTO outbox (id, channel, topic, member_id, payload)
    SELECT uuid_generate_v7(), 'mail', 'pass.issued', (SELECT id FROM members WHERE email = 'bench@liaison.example'),
           jsonb_build_object('code', 'CODE-' || g, 'summit', 'Summit', 'city', 'Lisbon', 'starts_on', '2027-05-01',
                              'ends_on', '2027-05-03', 'program_name', 'Active Community Contributor')
    FROM generate_series(1, $1) g"
}
pending() { psql $PG -qtAc "SELECT count(*) FROM outbox WHERE status <> 'sent'" "$DB"; }

echo "== 1. throughput, a backlog of 20,000 mails"
for workers in 1 3; do
  psql $PG -qc "TRUNCATE outbox, outbox_attempts" "$DB"
  backlog 20000
  for _ in $(seq 1 "$workers"); do "$BIN" worker 2>/dev/null & PIDS+=($!); done
  while [ "$(pending)" != "0" ]; do sleep 0.2; done
  psql $PG -qtA "$DB" -c "SELECT '$workers worker(s): ' || round(count(*) / extract(epoch FROM max(attempted_at) - min(attempted_at)))::text
      || ' deliveries/s (' || count(*) || ' in ' || round(extract(epoch FROM max(attempted_at) - min(attempted_at))::numeric, 2) || ' s, '
      || count(DISTINCT worker) || ' worker(s) took part, ' || (SELECT count(*) FROM (SELECT outbox_id FROM outbox_attempts GROUP BY 1 HAVING count(*) > 1) t) || ' rows attempted twice)'
    FROM outbox_attempts"
  for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; done
  PIDS=()
done

echo "== 2. lag from commit to delivery at 200 changes/s for ${SECONDS_EACH}s (poll ${LIAISON_OUTBOX_POLL_MS} ms)"
psql $PG -qc "TRUNCATE outbox, outbox_attempts" "$DB"
MEMBER=$(psql $PG -qtAc "SELECT id FROM members WHERE email = 'bench@liaison.example'" "$DB")
cat > /tmp/liaison-bench-outbox-change.sql <<SQL
INSERT INTO outbox (id, channel, topic, member_id, payload) VALUES (uuid_generate_v7(), 'mail', 'pass.issued', '$MEMBER',
  '{"code": "CODE", "summit": "Summit", "city": "Lisbon", "starts_on": "2027-05-01", "ends_on": "2027-05-03", "program_name": "ACC"}');
SQL
"$BIN" worker 2>/dev/null & PIDS+=($!)
pgbench $PG -n -f /tmp/liaison-bench-outbox-change.sql -R 200 -T "$SECONDS_EACH" -c 2 -j 1 "$DB" 2>/dev/null | grep -E "^tps" | sed 's/^/   /'
while [ "$(pending)" != "0" ]; do sleep 0.2; done
psql $PG -qtA "$DB" -c "SELECT '   ' || count(*) || ' changes; lag p50 ' || round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY sent_at - created_at))::numeric, 1)
    || ' ms, p99 ' || round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY sent_at - created_at))::numeric, 1) || ' ms'
  FROM outbox"
for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; done
PIDS=()

echo "== 3. bulk issuance of 10,000 passes, and its outbox statement alone"
psql $PG -qc "TRUNCATE outbox, outbox_attempts" "$DB"
psql $PG -q -v ON_ERROR_STOP=1 "$DB" <<SQL
INSERT INTO members (id, email, password_hash, display_name, country)
SELECT uuid_generate_v7(), 'm' || g || '@bench.example', 'x', 'Member ' || g, 'FR' FROM generate_series(1, 10000) g;
UPDATE members SET email_verified_at = created_at WHERE email_verified_at IS NULL;
INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
SELECT uuid_generate_v7(), m.id, 'talk_given', current_date - n, 'Talk ' || n, 'verified'
FROM members m CROSS JOIN generate_series(1, 4) n WHERE m.email LIKE 'm%@bench.example';
INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff)
VALUES ('$SUMMIT', 'Bench summit', 'Lisbon', current_date + 60, current_date + 62, current_date);
INSERT INTO summit_programs (summit_id, program, rules_version, quota) VALUES ('$SUMMIT', 'acc', 1, 10000);
VACUUM ANALYZE;
SQL
"$BIN" serve 2>/dev/null & PIDS+=($!)
for _ in $(seq 1 50); do curl -sf "$API/readyz" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf "$API/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"bench@liaison.example","password":"bench-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
curl -s -o /tmp/liaison-bench-outbox-issue.json -w '   endpoint (issuance with its 10,000 mails queued): %{time_total} s\n' \
  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -H "Idempotency-Key: bench-outbox" \
  -d '{"program": "acc"}' "$API/v1/summits/$SUMMIT/passes/issue"
python3 -c 'import json;print("   issued:", json.load(open("/tmp/liaison-bench-outbox-issue.json"))["issued_count"])'
psql $PG -q "$DB" <<SQL | awk '/^Time:/ {print "   " (++n == 1 ? "in the request, the outbox statement alone (one batch row of 10,000 pass ids, rolled back): " : "after the commit, the expansion alone (10,000 mail rows, rolled back): ") $2 " ms"}'
BEGIN;
\timing on
INSERT INTO outbox (id, channel, topic, payload)
VALUES (uuid_generate_v7(), 'batch', 'pass.issued',
        jsonb_build_object('pass_ids', to_jsonb((SELECT array_agg(id) FROM passes WHERE summit_id = '$SUMMIT'))));
INSERT INTO outbox (id, channel, topic, member_id, payload)
SELECT uuid_generate_v7(), 'mail', b.topic, p.member_id,
       jsonb_build_object('pass_id', p.id, 'code', regexp_replace(p.code, '(....)(?=.)', '\1-', 'g'),
                          'summit', s.name, 'city', s.city, 'starts_on', s.starts_on, 'ends_on', s.ends_on,
                          'program', p.program, 'program_name', COALESCE(r.name, p.program))
FROM outbox b CROSS JOIN jsonb_array_elements_text(b.payload->'pass_ids') AS x(pass_id)
JOIN passes p ON p.id = x.pass_id::uuid JOIN summits s ON s.id = p.summit_id
LEFT JOIN recognition_programs r ON r.slug = p.program
WHERE b.channel = 'batch' AND b.topic = 'pass.issued' AND b.status = 'sent';
\timing off
ROLLBACK;
SQL
while [ "$(pending)" != "0" ]; do sleep 0.2; done
psql $PG -qtA "$DB" -c "SELECT '   the server then delivered ' || count(*) FILTER (WHERE channel = 'mail') || ' mails; from the commit to the last one sent: '
    || round(extract(epoch FROM max(sent_at) - min(created_at))::numeric, 2) || ' s' FROM outbox"
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres 2>/dev/null || true
