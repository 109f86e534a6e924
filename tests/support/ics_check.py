"""Parses an iCalendar feed (stdin) with the `icalendar` package and prints
what the tests check as JSON: the calendar's properties and each event with
its times both in UTC and in its own zone. Also checks the raw text: CRLF
line ends and no line over 75 octets. Exits non-zero on any failure, so a
missing package fails the test that runs it."""

import json
import sys
from datetime import timezone

import icalendar

raw = sys.stdin.buffer.read()
lines = raw.split(b"\r\n")
if lines[-1] != b"":
    sys.exit("the feed does not end in CRLF")
for number, line in enumerate(lines[:-1], 1):
    if b"\n" in line or b"\r" in line:
        sys.exit(f"line {number} has a bare line break")
    if len(line) > 75:
        sys.exit(f"line {number} is {len(line)} octets long")

calendar = icalendar.Calendar.from_ical(raw)


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def moment(component, name):
    value = component.decoded(name)
    if value.tzinfo is None:
        sys.exit(f"{name} is a floating time")
    tzid = component[name].params.get("TZID")
    return {
        "utc": value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "local": value.strftime("%Y-%m-%dT%H:%M:%S"),
        "tzid": None if tzid is None else str(tzid),
    }


events = []
for event in calendar.walk("VEVENT"):
    events.append(
        {
            "uid": text(event, "UID"),
            "summary": text(event, "SUMMARY"),
            "description": text(event, "DESCRIPTION"),
            "location": text(event, "LOCATION"),
            "url": text(event, "URL"),
            "status": text(event, "STATUS"),
            "dtstamp": moment(event, "DTSTAMP")["utc"],
            "last_modified": moment(event, "LAST-MODIFIED")["utc"],
            "start": moment(event, "DTSTART"),
            "end": moment(event, "DTEND"),
        }
    )

json.dump(
    {
        "version": text(calendar, "VERSION"),
        "prodid": text(calendar, "PRODID"),
        "calscale": text(calendar, "CALSCALE"),
        "method": text(calendar, "METHOD"),
        "name": text(calendar, "X-WR-CALNAME"),
        "events": events,
    },
    sys.stdout,
)
