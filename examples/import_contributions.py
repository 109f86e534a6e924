#!/usr/bin/env python3
"""Imports contributions from a CSV, the shape the AUC scripts wrote.

    python3 examples/import_contributions.py --api http://127.0.0.1:8080 \\
        --token "$LIAISON_KEY" --source ask-openstack --csv karma.csv [--dry-run]

`--token` is an API key with `contributions:import` (or a staff access
token). The CSV has a header row; its columns, in any order:

    email        the member's email (matched case-insensitively), or
    member_id    the member's Liaison id (give one of the two per row)
    kind         a contribution kind (GET /v1/contribution-kinds), e.g. talk_given
    date         the day it happened, YYYY-MM-DD, not in the future
    title        3-200 characters
    url          evidence, an http(s) URL (may be empty)
    external_id  the row's id in the source (a Q&A answer id, a meeting log line);
                 (source, external_id) identifies the contribution, so running
                 the script again updates rather than duplicates
    group_id     optional: the user group it was for

Rows go in batches of 5,000 (the API's limit). Each batch is sent with an
Idempotency-Key derived from its content, so a run that dies and is started
again replays the batches already done instead of importing them twice.
Rows whose member is unknown are listed (with their CSV line) and skipped.
A batch with an invalid row is refused whole (422): the errors are printed
with their CSV lines and nothing of that batch is written.
Standard library only.
"""

import argparse
import csv
import hashlib
import json
import sys
import time
import urllib.error
import urllib.request

BATCH = 5000


def call(api, token, body, key):
    data = json.dumps(body).encode()
    request = urllib.request.Request(api.rstrip("/") + "/v1/contributions/import", data=data, method="POST")
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def rows_of(path):
    """The CSV's rows as the API takes them, with their line numbers."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            get = lambda name: (row.get(name) or "").strip() or None
            contribution = {
                "external_id": get("external_id"),
                "kind": get("kind"),
                "occurred_on": get("date"),
                "title": get("title"),
                "evidence_url": get("url"),
            }
            for optional in ("email", "member_id", "group_id"):
                if get(optional):
                    contribution[optional] = get(optional)
            yield reader.line_num, contribution


def key_of(source, batch):
    # The same batch always gets the same key: a retry, or a rerun after a
    # crash, replays the first answer. Another batch gets another key.
    digest = hashlib.sha256(json.dumps([source, batch], sort_keys=True).encode()).hexdigest()
    return "import-" + digest[:40]


def send(api, token, source, batch, dry_run, retries=4):
    body = {"source": source, "dry_run": dry_run, "contributions": batch}
    key = key_of(source, batch)
    for attempt in range(retries):
        status, answer = call(api, token, body, key)
        if status in (429, 503) and attempt + 1 < retries:
            time.sleep(2 ** attempt)
            continue
        return status, answer
    return status, answer


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", default="http://127.0.0.1:8080")
    parser.add_argument("--token", required=True, help="contributions:import API key or staff access token")
    parser.add_argument("--source", required=True, help="the tool the data comes from, e.g. ask-openstack")
    parser.add_argument("--csv", required=True, help="the CSV file")
    parser.add_argument("--dry-run", action="store_true", help="count what would change; write nothing")
    parser.add_argument("--batch-size", type=int, default=BATCH)
    args = parser.parse_args()

    rows = list(rows_of(args.csv))
    totals = {"created": 0, "updated": 0, "unchanged": 0, "unknown": 0}
    failed = False
    for start in range(0, len(rows), args.batch_size):
        chunk = rows[start:start + args.batch_size]
        lines = [line for line, _ in chunk]
        status, answer = send(args.api, args.token, args.source, [c for _, c in chunk], args.dry_run)
        if status != 200:
            failed = True
            print(f"batch of lines {lines[0]}-{lines[-1]} refused ({status}): {answer.get('code')}: {answer.get('detail')}",
                  file=sys.stderr)
            for error in answer.get("errors", []):
                field = error["field"]
                # contributions[i].field -> the CSV line of row i
                if field.startswith("contributions[") and "]" in field:
                    index = int(field[len("contributions["):field.index("]")])
                    field = f"line {lines[index]}{field[field.index(']') + 1:]}"
                print(f"  {field}: {error['message']}", file=sys.stderr)
            continue
        for name in ("created", "updated", "unchanged"):
            totals[name] += answer[name]
        for unknown in answer["unknown_members"]:
            totals["unknown"] += 1
            who = unknown.get("email") or unknown.get("member_id")
            print(f"unknown member, line {lines[unknown['index']]}: {who}")
    label = "would be (dry run)" if args.dry_run else "imported"
    print(f"{label}: {totals['created']} created, {totals['updated']} updated, "
          f"{totals['unchanged']} unchanged, {totals['unknown']} unknown members")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
