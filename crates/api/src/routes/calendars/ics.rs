//! The iCalendar writer (RFC 5545), small enough to own: one VCALENDAR of
//! VEVENTs, text escaped, lines folded at 75 octets, CRLF line ends.
//!
//! Times are written in the event's zone (`DTSTART;TZID=Europe/Paris:…`)
//! without a VTIMEZONE block: the TZIDs are IANA names, which Google,
//! Apple, Outlook, Thunderbird and Python's `icalendar` resolve themselves,
//! and a VTIMEZONE would only repeat the IANA database, less well. Events in
//! UTC are written as UTC (`…Z`). `DTSTAMP` is the event's last change, not
//! the time of the request, so an unchanged feed keeps its `ETag`.

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use liaison_domain::event::EventStatus;
use liaison_persistence::events::Event;

use crate::http::etag;

/// The media type of every feed.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// A feed as calendar clients receive it, with its `ETag` (a hash of the
/// text), so `If-None-Match` answers 304.
pub fn respond(name: &str, events: &[Event]) -> HttpResponse {
    let text = calendar(name, events);
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((header::ETAG, etag::of(text.as_bytes())))
        .body(text)
}

/// The text of a calendar named `name` holding `events`.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::with_capacity(512 + events.len() * 512);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Liaison//Community events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push(&mut out, line);
    }
    push(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        vevent(&mut out, e);
    }
    push(&mut out, "END:VCALENDAR");
    out
}

fn vevent(out: &mut String, e: &Event) {
    push(out, "BEGIN:VEVENT");
    push(out, &format!("UID:{}@liaison", e.id));
    push(out, &format!("DTSTAMP:{}", utc(e.updated_at)));
    push(out, &format!("DTSTART{}", zoned(e.starts_at, &e.timezone)));
    push(out, &format!("DTEND{}", zoned(e.ends_at, &e.timezone)));
    push(out, &format!("SUMMARY:{}", escape(&e.title)));
    if let Some(description) = &e.description {
        push(out, &format!("DESCRIPTION:{}", escape(description)));
    }
    let mut place: Vec<&str> = [&e.venue, &e.city, &e.country]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    if place.is_empty() && e.online {
        place.push("Online");
    }
    if !place.is_empty() {
        push(out, &format!("LOCATION:{}", escape(&place.join(", "))));
    }
    if let Some(url) = &e.url {
        // A URI value: not TEXT, so not escaped; checked http(s) without spaces on input.
        push(out, &format!("URL:{url}"));
    }
    let status = match e.status {
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Scheduled | EventStatus::Held => "CONFIRMED",
    };
    push(out, &format!("STATUS:{status}"));
    push(out, &format!("LAST-MODIFIED:{}", utc(e.updated_at)));
    push(out, "END:VEVENT");
}

/// `20261210T180000Z`.
fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `;TZID=Europe/Paris:20261210T190000`, or `:20261210T180000Z` in UTC
/// (and for a zone the database no longer knows, which cannot be stored).
fn zoned(t: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) if tz != Tz::UTC => format!(
            ";TZID={}:{}",
            tz.name(),
            t.with_timezone(&tz).format("%Y%m%dT%H%M%S")
        ),
        _ => format!(":{}", utc(t)),
    }
}

/// TEXT escaping: `\`, `;`, `,` and line breaks; other control characters,
/// which TEXT may not hold, are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line exceeds 75 octets
/// (never inside a UTF-8 character), each ending in CRLF.
fn push(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.split("\r\n").collect()
    }

    #[test]
    fn text_escapes_backslashes_separators_and_line_breaks() {
        assert_eq!(escape("a\\b;c,d\r\ne\nf\u{7}"), "a\\\\b\\;c\\,d\\ne\\nf");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        push(&mut out, &format!("SUMMARY:{}", "é".repeat(100)));
        for line in lines(&out) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(100)));
    }

    #[test]
    fn times_are_local_to_the_events_zone_and_utc_ends_in_z() {
        let winter = "2026-12-10T18:00:00Z".parse::<DateTime<Utc>>().ok();
        let winter = winter.map(|t| zoned(t, "Europe/Paris"));
        assert_eq!(
            winter.as_deref(),
            Some(";TZID=Europe/Paris:20261210T190000")
        );
        let utc_time = "2026-12-10T18:00:00Z".parse::<DateTime<Utc>>().ok();
        assert_eq!(
            utc_time.map(|t| zoned(t, "UTC")).as_deref(),
            Some(":20261210T180000Z")
        );
    }
}
