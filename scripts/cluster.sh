#!/usr/bin/env bash
# Three `liaison serve` processes on one database, with a shared JWT secret,
# as a load balancer would have them (issue 17): ports 8081, 8082, 8083 by
# default. Ctrl-C stops them all. The rules that span requests are tested
# across such a cluster by crates/api/tests/cluster.rs.
#
#   scripts/cluster.sh                       (DATABASE_URL, or the default)
#   CLUSTER_PORTS="9001 9002 9003" scripts/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/liaison-target}"
PORTS="${CLUSTER_PORTS:-8081 8082 8083}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/liaison}"
# One secret for all: a token signed by one process is good at the others.
export LIAISON_JWT_SECRET="${LIAISON_JWT_SECRET:-$(head -c 32 /dev/urandom | base64)}"
cargo build --release -q -p liaison-api --bin liaison
BIN="$CARGO_TARGET_DIR/release/liaison"
"$BIN" migrate
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait' EXIT INT TERM
for port in $PORTS; do
  LIAISON_PORT="$port" "$BIN" serve &
  PIDS+=($!)
done
for port in $PORTS; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  echo "http://127.0.0.1:$port ready"
done
wait
