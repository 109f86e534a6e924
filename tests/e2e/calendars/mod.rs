//! Calendars: the iCalendar feeds of groups, regions and a member's
//! organised groups, each parsed with a real parser (`icalendar`).

mod group;
mod personal;
mod region;
mod token;

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use liaison_tests::{body, id_of, parse_ics, Member, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

pub(crate) use liaison_tests::{world, World};

/// 15 January (winter) or 15 July (summer) of next year, at `hour`:00 UTC.
fn next_year(month: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(Utc::now().year() + 1, month, 15, hour, 0, 0)
        .single()
        .expect("a valid time")
}

/// An event starting at `starts` in `timezone`, lasting three hours.
fn event_at(title: &str, starts: DateTime<Utc>, timezone: &str) -> Value {
    json!({
        "title": title,
        "description": "Talks; pizza, and a\nsecond line",
        "starts_at": starts,
        "ends_at": starts + Duration::hours(3),
        "venue": "La Cordée",
        "city": "Lyon",
        "country": "FR",
        "url": "https://example.org/events/1",
        "timezone": timezone,
    })
}

/// Creates an event as `organizer`, asserting 201; returns it.
async fn create(app: &TestApp, organizer: &Member, group: &str, event: &Value) -> Value {
    let response = app
        .post(
            &format!("/v1/groups/{group}/events"),
            Some(&organizer.token),
            event,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {event}");
    body(response).await
}

/// A feed answered 200 as `text/calendar`: its `ETag` and its text.
async fn feed_text(response: Response) -> (String, String) {
    assert_eq!(response.status(), StatusCode::OK, "feed");
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("content type")
        .to_owned();
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    let tag = response.headers()["etag"]
        .to_str()
        .expect("ETag")
        .to_owned();
    (tag, response.text().await.expect("feed text"))
}

/// A feed fetched anonymously, parsed: `(ETag, parsed)`.
async fn parsed_feed(app: &TestApp, path: &str, token: Option<&str>) -> (String, Value) {
    let (tag, text) = feed_text(app.get(path, token).await).await;
    (tag, parse_ics(&text))
}

/// The calendar properties every feed carries.
fn assert_calendar(feed: &Value, name: &str) {
    assert_eq!(feed["version"], "2.0");
    assert_eq!(feed["calscale"], "GREGORIAN");
    assert_eq!(feed["method"], "PUBLISH");
    assert!(feed["prodid"].is_string());
    assert_eq!(feed["name"], name);
}

/// The parsed event of this id.
fn event_of<'a>(feed: &'a Value, event: &Value) -> &'a Value {
    let uid = format!("{}@liaison", id_of(event));
    feed["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["uid"] == uid.as_str())
        .unwrap_or_else(|| panic!("{uid} not in {feed}"))
}

/// A fresh calendar token of `member`.
async fn calendar_token(app: &TestApp, member: &Member) -> String {
    let response = app
        .post("/v1/me/calendar-token", Some(&member.token), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "calendar token");
    let token = body(response).await;
    token["token"].as_str().expect("token").to_owned()
}
