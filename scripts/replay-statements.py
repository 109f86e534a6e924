#!/usr/bin/env python3
"""Turns the statements one request ran into a pgbench script: the floor a
benchmark compares an endpoint with is PostgreSQL running exactly those
statements, with the same parameters, and nothing of HTTP.

    replay-statements.py LOGFILE OFFSET DATABASE > request.sql

Reads PostgreSQL's log from byte OFFSET (logged with
log_min_duration_statement = 0 for DATABASE) and prints every statement of
that database, parameters inlined as literals. Lines of the log that belong to
other databases are skipped, and so are the outbox dispatcher's own polls.
"""
import re
import sys

log, offset, database = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(log, "rb") as f:
    f.seek(offset)
    lines = f.read().decode("utf-8", "replace").splitlines()

entries = []  # (sql lines, params)
current = None  # the statement whose text continues on tab-led lines
last_log = None  # the kind of this database's last LOG line
for line in lines:
    if line.startswith("\t") and current is not None:
        current[0].append(line[1:])
        continue
    current = None
    if f"@{database} " not in line:
        continue
    # Extended protocol: parse, bind and execute are each logged; only the
    # execute (or a simple-protocol statement) is replayed, with the
    # parameters its DETAIL line names.
    m = re.search(r"LOG:  duration: [0-9.]+ ms  (execute [^:]*|statement|parse [^:]*|bind [^:]*): (.*)$", line)
    if m:
        last_log = m.group(1).split()[0]
        if last_log in ("execute", "statement"):
            current = ([m.group(2)], {})
            entries.append(current)
        continue
    m = re.search(r"DETAIL:  parameters: (.*)$", line)
    if m and entries and last_log == "execute":
        for n, value in re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", m.group(1)):
            entries[-1][1][int(n)] = value

for sql_lines, params in entries:
    sql = "\n".join(sql_lines)
    if sql.strip().upper() in ("SHOW TRANSACTION ISOLATION LEVEL",):
        continue
    # The outbox dispatcher polls on its own, whatever the request.
    if re.search(r"\boutbox\b", sql):
        continue
    for n in sorted(params, reverse=True):
        sql = sql.replace(f"${n}", params[n])
    # pgbench reads one statement per line unless it ends with a semicolon.
    # One line per statement; comments (` -- …` to the end of a line) go.
    words = (re.sub(r"(^|\s)--\s.*$", "", l).strip() for l in sql.splitlines())
    print(" ".join(w for w in words if w) + ";")
