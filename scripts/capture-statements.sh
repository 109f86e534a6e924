# Sourced by the benchmark scripts: the statements one request runs, as a
# pgbench script, so an endpoint can be measured beside exactly its own SQL.
#
#   capture_on DB                      # before `liaison serve` starts
#   capture OUT.sql DB curl-args…      # asks once (warm), then again, recording
#   capture_off DB                     # then restart the server to measure
#
# PostgreSQL logs every statement of DB (log_min_duration_statement = 0 for
# that database only, taken up by new connections); PG_LOG names its log
# (default: Debian's /var/log/postgresql/postgresql-*-main.log).

PG_LOG="${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log 2>/dev/null | head -1)}"

capture_on() {
  [ -r "$PG_LOG" ] || { echo "PostgreSQL's log is not readable (set PG_LOG)" >&2; exit 1; }
  psql $PG -qc "ALTER DATABASE $1 SET log_min_duration_statement = 0" postgres
}

capture_off() {
  psql $PG -qc "ALTER DATABASE $1 RESET log_min_duration_statement" postgres
}

capture() {
  local out=$1 db=$2 from
  shift 2
  curl -sf -o /dev/null "$@"
  sleep 0.3; from=$(stat -c %s "$PG_LOG")
  curl -sf -o /dev/null "$@"
  sleep 0.3
  python3 "$(dirname "${BASH_SOURCE[0]}")/replay-statements.py" "$PG_LOG" "$from" "$db" > "$out"
}
