#!/usr/bin/env bash
# Floods benchmark (issue 9): sign-ins/s and the server's peak RSS at 1, 16,
# 64 and 256 concurrent sign-ins, and the p99 of a public read at a constant
# rate with and without a 64-connection sign-in flood, all in one run.
#
#   scripts/bench-floods.sh                    # 15 s per measurement
#   BENCH_SECONDS=30 scripts/bench-floods.sh
#   BENCH_FEATURES=mimalloc scripts/bench-floods.sh   # the same with mimalloc
#
# The floor is the machine's: cores ÷ the time of one sign-in at one
# connection (which is one Argon2 verification plus a little SQL), measured
# in this run. Production Argon2 cost (19 MiB, t=2) and default limits; the
# auth rate limit is raised so that it does not hide the pool, as it would
# not behind a proxy that many users share.
#
# The last run puts one idle-priority `dd bs=20M` per core beside the same
# reads and no sign-ins: the cost of memory contention alone, which is what
# Argon2 (memory-hard by design) brings to the other requests' tail.
#
# Settings pass through: LIAISON_HASH_WORKERS=1 scripts/bench-floods.sh.
#
# Needs: oha (`cargo install oha`), psql, chrt, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
SECONDS_PER_RUN="${BENCH_SECONDS:-15}"
PORT="${BENCH_PORT:-18090}"
FEATURES="${BENCH_FEATURES:-}"
READ_RATE="${BENCH_READ_RATE:-200}"
PG="-h 127.0.0.1 -U postgres"
DB=liaison_bench_floods
BASE="http://127.0.0.1:$PORT"
OUT=/tmp/liaison-bench-floods
mkdir -p "$OUT"

command -v oha >/dev/null || { echo "oha is missing: cargo install oha" >&2; exit 1; }

if [ -n "$FEATURES" ]; then
  cargo build --release -q -p liaison-api --bin liaison --features "$FEATURES"
else
  cargo build --release -q -p liaison-api --bin liaison
fi
BIN="$CARGO_TARGET_DIR/release/liaison"

psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LIAISON_PORT="$PORT" LIAISON_JWT_SECRET="bench-secret-bench-secret-bench-secret" \
  LIAISON_AUTH_RATE_LIMIT=100000000 RUST_LOG="${RUST_LOG:-warn}"
"$BIN" seed-demo >/dev/null
"$BIN" serve 2>"$OUT/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done

CORES=$(nproc)
SIGN_IN='{"email":"staff@liaison.example","password":"liaison-demo-password"}'
sign_ins() { # connections seconds output
  oha -c "$1" -z "${2}s" --no-tui --output-format json -m POST \
    -H 'content-type: application/json' -d "$SIGN_IN" "$BASE/v1/auth/token" > "$3"
}
kib() { awk "/^$1:/ {print \$2}" "/proc/$SERVER/status"; }
field() { # file python-expression-on-d
  python3 -c "import json,sys;d=json.load(open('$1'));print($2)"
}
ok_per_s() { field "$1" "round(d['statusCodeDistribution'].get('200',0)/d['summary']['total'],1)"; }
count() { field "$1" "d['statusCodeDistribution'].get('$2',0)"; }

echo "== warm-up"
sign_ins 2 3 "$OUT/warm.json"
oha -c 4 -z 2s --no-tui "$BASE/v1/regions" >/dev/null

printf '\n| concurrent sign-ins | sign-ins/s (200) | 503 answers | p50 ms | peak RSS so far (VmHWM) | RSS 5 s after | threads |\n| --- | --- | --- | --- | --- | --- | --- |\n' > "$OUT/table.md"
for C in 1 16 64 256; do
  echo "== POST /v1/auth/token, $C connections, ${SECONDS_PER_RUN}s"
  sign_ins "$C" "$SECONDS_PER_RUN" "$OUT/signin-$C.json"
  sleep 5
  RPS=$(ok_per_s "$OUT/signin-$C.json")
  P50=$(field "$OUT/signin-$C.json" "round(d['latencyPercentiles']['p50']*1000,1)")
  [ "$C" = 1 ] && ONE_MS="$P50"
  printf '| %s | %s | %s | %s | %s MiB | %s MiB | %s |\n' "$C" "$RPS" "$(count "$OUT/signin-$C.json" 503)" "$P50" \
    $(( $(kib VmHWM) / 1024 )) $(( $(kib VmRSS) / 1024 )) "$(kib Threads)" >> "$OUT/table.md"
done
FLOOR=$(python3 -c "print(round($CORES/($ONE_MS/1000),1))")

echo "== GET /v1/regions at a constant $READ_RATE req/s, no flood, ${SECONDS_PER_RUN}s"
oha -c 16 -q "$READ_RATE" -z "${SECONDS_PER_RUN}s" --no-tui --output-format json "$BASE/v1/regions" > "$OUT/reads-quiet.json"
echo "== the same during a 64-connection sign-in flood"
sign_ins 64 $(( SECONDS_PER_RUN + 4 )) "$OUT/flood.json" &
FLOOD=$!
sleep 2
oha -c 16 -q "$READ_RATE" -z "${SECONDS_PER_RUN}s" --no-tui --output-format json "$BASE/v1/regions" > "$OUT/reads-flooded.json"
wait $FLOOD
Q99=$(field "$OUT/reads-quiet.json" "round(d['latencyPercentiles']['p99']*1000,2)")
F99=$(field "$OUT/reads-flooded.json" "round(d['latencyPercentiles']['p99']*1000,2)")
Q50=$(field "$OUT/reads-quiet.json" "round(d['latencyPercentiles']['p50']*1000,2)")
F50=$(field "$OUT/reads-flooded.json" "round(d['latencyPercentiles']['p50']*1000,2)")
FLOOD_RPS=$(ok_per_s "$OUT/flood.json")

echo "== the same reads beside two idle-priority memory hogs (dd bs=20M), no sign-ins: what memory contention alone costs"
HOGS=()
for _ in $(seq 1 "$CORES"); do
  chrt -i 0 dd if=/dev/zero of=/dev/null bs=20M 2>/dev/null &
  HOGS+=($!)
done
sleep 1
oha -c 16 -q "$READ_RATE" -z "${SECONDS_PER_RUN}s" --no-tui --output-format json "$BASE/v1/regions" > "$OUT/reads-memhog.json"
kill "${HOGS[@]}"
M99=$(field "$OUT/reads-memhog.json" "round(d['latencyPercentiles']['p99']*1000,2)")

RPS64=$(ok_per_s "$OUT/signin-64.json")
HWM=$(( $(kib VmHWM) / 1024 ))
kill $SERVER; wait $SERVER 2>/dev/null || true
psql $PG -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres

cat "$OUT/table.md"
echo
echo "| measurement | value |"
echo "| --- | --- |"
echo "| allocator | ${FEATURES:-glibc (system)} |"
echo "| one sign-in at 1 connection (p50) | $ONE_MS ms |"
echo "| floor: cores ÷ one sign-in | $FLOOR /s ($CORES cores) |"
echo "| sign-ins/s at 64 connections | $RPS64 /s ($(python3 -c "print(round(100*$RPS64/$FLOOR))") % of the floor; target ≥ 80 %) |"
echo "| peak RSS over the whole run, 256 connections included | $HWM MiB (target ≤ 200 MiB) |"
echo "| GET /v1/regions at $READ_RATE req/s, no flood: p50 / p99 | $Q50 / $Q99 ms |"
echo "| the same during the flood: p50 / p99 | $F50 / $F99 ms ($(python3 -c "print(round($F99/$Q99,2))")×; target ≤ 1.5×) |"
echo "| sign-ins/s served during that flood | $FLOOD_RPS /s |"
echo "| the same reads beside $CORES idle-priority memory hogs, no sign-ins: p99 | $M99 ms ($(python3 -c "print(round($M99/$Q99,2))")×) |"
echo "| read errors (non-200) quiet / flooded | $(field "$OUT/reads-quiet.json" "sum(v for k,v in d['statusCodeDistribution'].items() if k!='200')") / $(field "$OUT/reads-flooded.json" "sum(v for k,v in d['statusCodeDistribution'].items() if k!='200')") |"
