#!/usr/bin/env python3
"""A user group's website keeping Liaison in step with its meetups.

It pushes the site's events with one idempotent bulk sync, then follows the
change feed from a saved cursor, so the site also learns about changes made
elsewhere (an organizer marking a meetup held in Liaison, say).

    python3 examples/group_site_sync.py --api http://127.0.0.1:8080 \\
        --group lyon-operators --token "$LIAISON_KEY" --events events.json [--follow]

`--token` is a `groups:sync` API key listing the group (or an organizer's
access token). `--events` is a JSON list of events as the API takes them
(each with its site's `external_id`); without it, two sample events are sent.
Standard library only.
"""

import argparse
import datetime as dt
import json
import pathlib
import sys
import time
import urllib.error
import urllib.request
import uuid


def call(api, method, path, token, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(api + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def sample_events():
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    return [
        {"external_id": "site-101", "title": "Upgrades without downtime", "starts_at": start.isoformat(),
         "ends_at": (start + dt.timedelta(hours=3)).isoformat(), "city": "Lyon", "country": "FR", "rsvp_count": 42},
        {"external_id": "site-102", "title": "Hands-on: observability", "starts_at": (start + dt.timedelta(days=28)).isoformat(),
         "ends_at": (start + dt.timedelta(days=28, hours=3)).isoformat(), "city": "Lyon", "country": "FR"},
    ]


def sync(api, token, group, events, retries=3):
    # One key per logical push: a retry after a timeout replays the first
    # answer instead of acting twice.
    key = str(uuid.uuid4())
    body = {"source": "groupsite", "mode": "snapshot", "events": events}
    for attempt in range(retries):
        status, answer = call(api, "PUT", f"/v1/groups/{group}/events/sync", token, body, {"Idempotency-Key": key})
        if status == 200:
            return answer
        if status in (429, 503) and attempt + 1 < retries:
            time.sleep(2 ** attempt)
            continue
        # A 422 names every bad field as events[i].field: fix the data, not the call.
        raise SystemExit(f"sync failed ({status}): {json.dumps(answer, indent=2)}")
    raise SystemExit("sync failed: out of retries")


def follow(api, token, cursor_file, forever):
    cursor = cursor_file.read_text().strip() if cursor_file.exists() else None
    while True:
        path = "/v1/events/changes?limit=500" + (f"&cursor={cursor}" if cursor else "")
        status, page = call(api, "GET", path, token)
        if status != 200:
            raise SystemExit(f"feed failed ({status}): {page}")
        for change in page["items"]:
            event = change["event"] or {}
            print(f'{change["changed_at"]} {change["kind"]:9} {change["event_id"]} {event.get("title", "")}')
        # Save the cursor only after handling the page: a crash re-reads it, never skips it.
        cursor = page["next_cursor"]
        cursor_file.write_text(cursor)
        if not page["items"]:
            if not forever:
                return
            time.sleep(5)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", default="http://127.0.0.1:8080")
    parser.add_argument("--group", required=True, help="group id or slug")
    parser.add_argument("--token", required=True, help="groups:sync API key or organizer access token")
    parser.add_argument("--events", type=pathlib.Path, help="JSON file with the site's events")
    parser.add_argument("--cursor-file", type=pathlib.Path, default=pathlib.Path(".liaison-cursor"))
    parser.add_argument("--follow", action="store_true", help="keep polling the change feed")
    args = parser.parse_args()

    events = json.loads(args.events.read_text()) if args.events else sample_events()
    result = sync(args.api, args.token, args.group, events)
    print(f'synced: {result["created"]} created, {result["updated"]} updated, '
          f'{result["unchanged"]} unchanged, {result["cancelled"]} cancelled', file=sys.stderr)
    follow(args.api, args.token, args.cursor_file, args.follow)


if __name__ == "__main__":
    main()
