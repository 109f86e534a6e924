//! Events: one at a time, in bulk from a group's site (the sync), and the change feed.

mod changes;
mod changes_across_servers;
mod create;
mod delete;
mod get;
mod list;
mod search;
mod sync_access;
mod sync_keys;
mod sync_modes;
mod sync_validation;
mod timezone;
mod update;

use std::collections::BTreeMap;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use liaison_tests::{body, id_of, scalar, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

use liaison_tests::{world, World};

/// Registers a group as `organizer` (it starts `pending`); returns its id.
async fn pending_group(app: &TestApp, organizer: &Member, slug: &str) -> String {
    let group = app.group(organizer, slug, "FR").await;
    assert_eq!(group["status"], "pending");
    id_of(&group)
}

/// Now in whole seconds, so what is read back compares equal to what was sent.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

/// A valid event of a site, starting `days` from now (negative: in the past, held).
fn site_event(external_id: &str, days: i64) -> Value {
    let starts = now() + Duration::days(days);
    let mut event = json!({
        "external_id": external_id,
        "title": format!("Meetup {external_id}"),
        "description": "Talks and pizza.",
        "starts_at": starts,
        "ends_at": starts + Duration::hours(3),
        "venue": "La Cordée",
        "city": "Lyon",
        "country": "FR",
        "url": format!("https://example.org/events/{external_id}"),
        "status": "scheduled",
        "rsvp_count": 40,
    });
    if days < 0 {
        event["status"] = json!("held");
        event["attendee_count"] = json!(35);
    }
    event
}

/// `n` future events `{prefix}-{i}`, each starting one day after the previous.
fn site_events(prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| site_event(&format!("{prefix}-{i}"), i as i64 + 1))
        .collect()
}

/// A sync body.
fn batch(source: &str, mode: &str, events: &[Value]) -> Value {
    json!({"source": source, "mode": mode, "events": events})
}

/// What a sync answers.
fn counts(created: i64, updated: i64, unchanged: i64, cancelled: i64) -> Value {
    json!({"created": created, "updated": updated, "unchanged": unchanged, "cancelled": cancelled})
}

/// A manual event (no external id), starting `days` from now.
fn manual_event(title: &str, days: i64) -> Value {
    let starts = now() + Duration::days(days);
    json!({
        "title": title,
        "starts_at": starts,
        "ends_at": starts + Duration::hours(2),
        "city": "Lyon",
        "country": "fr",
        "rsvp_count": 12,
    })
}

/// `POST /v1/groups/{group}/events`.
async fn post_event(app: &TestApp, token: Option<&str>, group: &str, event: &Value) -> Response {
    app.post(&format!("/v1/groups/{group}/events"), token, event)
        .await
}

/// Creates an event as `organizer`, asserting 201; returns it.
async fn create_event(app: &TestApp, organizer: &Member, group: &str, event: &Value) -> Value {
    let response = post_event(app, Some(&organizer.token), group, event).await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {event}");
    body(response).await
}

/// An event and its `ETag`, as anyone reads it.
async fn read_event(app: &TestApp, id: &str) -> (Value, String) {
    let response = app.get(&format!("/v1/events/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "read event {id}");
    let tag = response.headers()["etag"]
        .to_str()
        .expect("ETag header")
        .to_owned();
    (body(response).await, tag)
}

/// `PUT /v1/groups/{group}/events/sync` with an optional `Idempotency-Key`.
async fn sync(
    app: &TestApp,
    token: Option<&str>,
    group: &str,
    key: Option<&str>,
    request: &Value,
) -> Response {
    let mut builder = app.call(
        Method::PUT,
        &format!("/v1/groups/{group}/events/sync"),
        token,
    );
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    builder.json(request).send().await.expect("sync request")
}

/// A sync that must answer 200; returns its counts.
async fn synced(app: &TestApp, token: &str, group: &str, key: &str, request: &Value) -> Value {
    let response = sync(app, Some(token), group, Some(key), request).await;
    assert_eq!(response.status(), StatusCode::OK, "sync with key {key}");
    body(response).await
}

/// Status and raw body of a response.
async fn parts(response: Response) -> (StatusCode, Vec<u8>) {
    let status = response.status();
    (status, response.bytes().await.expect("body").to_vec())
}

/// The events of a group as anyone reads them, by `external_id`.
async fn events_by_external_id(app: &TestApp, group: &str) -> BTreeMap<String, Value> {
    let mut events = BTreeMap::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/v1/groups/{group}/events?limit=200&cursor={c}"),
            None => format!("/v1/groups/{group}/events?limit=200"),
        };
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "list events");
        let page = body(response).await;
        for e in page["items"].as_array().expect("items") {
            let key = e["external_id"].as_str().expect("external id").to_owned();
            assert!(events.insert(key, e.clone()).is_none(), "listed twice: {e}");
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return events,
        }
    }
    panic!("the event list does not end");
}

/// Waits until every change row sits below the oldest running transaction of
/// the cluster, i.e. until the feed may return all of them. (The feed stops
/// below running transactions, whichever database they belong to.)
async fn settled(app: &TestApp) {
    let deadline = Instant::now() + StdDuration::from_secs(30);
    loop {
        let unreadable = scalar(
            &app.db,
            "SELECT count(*)::bigint AS n FROM event_changes WHERE xid >= pg_snapshot_xmin(pg_current_snapshot())",
        )
        .await;
        if unreadable == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{unreadable} changes stay behind a running transaction"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

/// One page of the change feed.
async fn feed_page(app: &TestApp, token: Option<&str>, cursor: Option<&str>, limit: u32) -> Value {
    let path = match cursor {
        Some(c) => format!("/v1/events/changes?limit={limit}&cursor={c}"),
        None => format!("/v1/events/changes?limit={limit}"),
    };
    let response = app.get(&path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "read the feed");
    let page = body(response).await;
    assert!(
        page["next_cursor"].is_string(),
        "next_cursor is always there: {page}"
    );
    page
}

/// Every change after `cursor` once the writes settled, following
/// `next_cursor` with pages of `limit` until an empty page; returns the
/// changes and the cursor to continue from.
async fn read_feed(
    app: &TestApp,
    token: Option<&str>,
    cursor: Option<String>,
    limit: u32,
) -> (Vec<Value>, String) {
    settled(app).await;
    let mut changes = Vec::new();
    let mut cursor = cursor;
    for _ in 0..2000 {
        let page = feed_page(app, token, cursor.as_deref(), limit).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= limit as usize, "page over its limit");
        let next = page["next_cursor"].as_str().expect("cursor").to_owned();
        if items.is_empty() {
            return (changes, next);
        }
        changes.extend(items.iter().cloned());
        cursor = Some(next);
    }
    panic!("the feed does not end");
}

/// `(kind, event_id)` of each change.
fn kinds(changes: &[Value]) -> Vec<(String, String)> {
    changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().expect("kind").to_owned(),
                c["event_id"].as_str().expect("event id").to_owned(),
            )
        })
        .collect()
}

/// Staff, a `europe` region (FR), Olga's pending group with an event in a
/// week, and a stranger: `(app, staff, olga, stranger, group, event id)`.
async fn a_pending_groups_event() -> (TestApp, Member, Member, Member, String, String) {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let organizer = app.member("Olga Organizer").await;
    let stranger = app.member("Sid Stranger").await;
    let group = pending_group(&app, &organizer, "pending-group").await;
    let event = create_event(&app, &organizer, &group, &manual_event("Soon", 7)).await;
    let id = id_of(&event);
    (app, staff, organizer, stranger, group, id)
}
