//! Events: organizers create, change and delete them one by one; group
//! websites push them in bulk (`PUT …/events/sync`, atomic and idempotent);
//! anyone follows the change feed, which never skips nor repeats a change,
//! also while writers commit concurrently and out of order.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use futures_util::future::join_all;
use liaison_tests::{assert_problem, body, count, error_fields, id_of, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use serde_json::{json, Value};
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Arranging groups and keys
// ---------------------------------------------------------------------------

/// A region for FR and DE, a staff member, and an organizer of an approved
/// (public) group.
struct World {
    app: TestApp,
    staff: Member,
    organizer: Member,
    group: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR", "DE"], 3).await;
    let organizer = app.member("Olga Organizer").await;
    let group = approved_group(&app, &staff, &organizer, "lyon-operators").await;
    World {
        app,
        staff,
        organizer,
        group,
    }
}

/// Registers a group as `organizer` (it starts `pending`); returns its id.
async fn pending_group(app: &TestApp, organizer: &Member, slug: &str) -> String {
    let response = app
        .post(
            "/v1/groups",
            Some(&organizer.token),
            &json!({"name": format!("Group {slug}"), "slug": slug, "country": "FR", "city": "Lyon", "coc_accepted": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "register {slug}");
    let group = body(response).await;
    assert_eq!(group["status"], "pending");
    id_of(&group)
}

/// A group registered by `organizer` and approved by staff, so anyone sees it.
async fn approved_group(app: &TestApp, staff: &Member, organizer: &Member, slug: &str) -> String {
    let id = pending_group(app, organizer, slug).await;
    let response = app
        .post(
            &format!("/v1/groups/{id}/review"),
            Some(&staff.token),
            &json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "approve {slug}");
    assert_eq!(body(response).await["status"], "provisional");
    id
}

/// An API key of a new service account with `scopes` (and `group_ids` for `groups:sync`).
async fn api_key(app: &TestApp, scopes: &[&str], group_ids: &[&str]) -> String {
    let admin = app.admin().await;
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": format!("site {}", Uuid::new_v4().simple()), "scopes": scopes, "group_ids": group_ids}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "create service account"
    );
    body(response).await["api_key"]
        .as_str()
        .expect("api key")
        .to_owned()
}

// ---------------------------------------------------------------------------
// Events and batches
// ---------------------------------------------------------------------------

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

/// `PATCH /v1/events/{id}` with an optional `If-Match`.
async fn patch_event(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/events/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
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

// ---------------------------------------------------------------------------
// Reading back
// ---------------------------------------------------------------------------

/// One number from SQL (a column `n`).
async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .expect("a number")
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

// ---------------------------------------------------------------------------
// One event at a time
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_organizer_creates_a_manual_event_that_anyone_reads_with_an_etag() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let request = manual_event(" Upgrades without downtime ", 10);
    let response = post_event(&app, Some(&organizer.token), &group, &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let created = body(response).await;
    let id = id_of(&created);
    assert_eq!(location, format!("/v1/events/{id}"));
    assert_eq!(created["group_id"], group.as_str());
    assert_eq!(created["source"], "manual");
    assert!(
        created["external_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "a generated external id: {created}"
    );
    assert_eq!(created["title"], "Upgrades without downtime");
    assert_eq!(created["country"], "FR");
    assert_eq!(created["status"], "scheduled");
    assert_eq!(created["starts_at"], request["starts_at"]);
    assert_eq!(created["ends_at"], request["ends_at"]);
    assert_eq!(created["rsvp_count"], 12);
    assert_eq!(created["attendee_count"], Value::Null);
    // Anyone reads it back with an ETag; a second read has the same tag.
    let (read, tag) = read_event(&app, &id).await;
    assert_eq!(read, created);
    assert!(tag.starts_with('"'), "{tag}");
    assert_eq!(read_event(&app, &id).await.1, tag);
    // The group's list has it, and the feed says it was created.
    let listed = body(app.get(&format!("/v1/groups/{group}/events"), None).await).await;
    assert_eq!(listed["items"], json!([created]));
    assert_eq!(listed["next_cursor"], Value::Null);
    let (changes, _) = read_feed(&app, None, None, 50).await;
    assert_eq!(kinds(&changes), [("created".to_owned(), id.clone())]);
    assert_eq!(changes[0]["event"], created);
    assert_eq!(changes[0]["group_id"], group.as_str());
    assert_eq!(count(&app.db, "events").await, 1);
    assert_eq!(app.audited(&staff, "event", "event.created").await, 1);
}

#[tokio::test]
async fn a_retried_event_creation_with_its_idempotency_key_creates_one_event() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    // A retry replays the creation instead of repeating it.
    let request = manual_event("Retried", 20);
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = app
            .call(
                Method::POST,
                &format!("/v1/groups/{group}/events"),
                Some(&organizer.token),
            )
            .header("Idempotency-Key", "create-1")
            .json(&request)
            .send()
            .await
            .expect("request");
        answers.push(parts(response).await);
    }
    assert_eq!(answers[0].0, StatusCode::CREATED);
    assert_eq!(answers[1], answers[0], "byte-identical replay");
    assert_eq!(count(&app.db, "events").await, 1);
    assert_eq!(count(&app.db, "event_changes").await, 1);
}

#[tokio::test]
async fn an_explicit_external_id_is_unique_within_the_groups_manual_events() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let mut with_id = manual_event("Numbered", 21);
    with_id["external_id"] = json!("n-1");
    let first = create_event(&app, &organizer, &group, &with_id).await;
    assert_eq!(first["external_id"], "n-1");
    assert_problem(
        post_event(&app, Some(&organizer.token), &group, &with_id).await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 1);
    assert_eq!(count(&app.db, "event_changes").await, 1);
}

#[tokio::test]
async fn only_organizers_create_events() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let stranger = app.member("Sid Stranger").await;
    let request = manual_event("Meetup", 10);
    assert_problem(
        post_event(&app, None, &group, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        post_event(&app, Some(&stranger.token), &group, &request).await,
        403,
        "forbidden",
    )
    .await;
    let unknown = Uuid::new_v4().to_string();
    assert_problem(
        post_event(&app, Some(&organizer.token), &unknown, &request).await,
        404,
        "not_found",
    )
    .await;
    // A pending group is invisible to a stranger: 404, not 403.
    let pending = pending_group(&app, &organizer, "pending-group").await;
    assert_problem(
        post_event(&app, Some(&stranger.token), &pending, &request).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
}

#[tokio::test]
async fn staff_and_the_organizer_of_a_pending_group_create_events() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let request = manual_event("Meetup", 10);
    let pending = pending_group(&app, &organizer, "pending-group").await;
    // Staff may (they may do everything of the programme).
    create_event(&app, &staff, &group, &request).await;
    create_event(&app, &organizer, &pending, &request).await;
    assert_eq!(count(&app.db, "events").await, 2);
}

#[tokio::test]
async fn an_invalid_event_is_422_and_writes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let starts = now() + Duration::days(3);
    let cases = [
        (
            json!({"title": "Backwards", "starts_at": starts, "ends_at": starts - Duration::hours(1)}),
            vec!["ends_at"],
        ),
        (
            json!({"title": "Zero length", "starts_at": starts, "ends_at": starts}),
            vec!["ends_at"],
        ),
        (
            json!({"title": "Counted early", "starts_at": starts, "ends_at": starts + Duration::hours(2), "attendee_count": 30}),
            vec!["attendee_count"],
        ),
        (
            json!({"title": "  ", "starts_at": starts, "ends_at": starts + Duration::hours(2), "country": "XX", "url": "ftp://example.org", "rsvp_count": -1}),
            vec!["title", "country", "url", "rsvp_count"],
        ),
    ];
    for (request, fields) in cases {
        let response = post_event(&app, Some(&organizer.token), &group, &request).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), fields, "{request}");
    }
    // A body without the required times names them.
    let problem = assert_problem(
        post_event(
            &app,
            Some(&organizer.token),
            &group,
            &json!({"title": "No times"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["starts_at"]);
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    let listed = body(app.get(&format!("/v1/groups/{group}/events"), None).await).await;
    assert_eq!(listed["items"], json!([]));
}

#[tokio::test]
async fn a_held_event_may_carry_its_attendance() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let mut held = manual_event("Last month", -30);
    held["status"] = json!("held");
    held["attendee_count"] = json!(25);
    let created = create_event(&app, &organizer, &group, &held).await;
    assert_eq!(created["attendee_count"], 25);
}

/// Five events of the world's group, created out of order, on days 5, 1, 4, 2 and 3.
async fn five_events(app: &TestApp, organizer: &Member, group: &str) {
    for day in [5, 1, 4, 2, 3] {
        create_event(
            app,
            organizer,
            group,
            &manual_event(&format!("Day {day}"), day),
        )
        .await;
    }
}

#[tokio::test]
async fn a_groups_events_are_listed_by_start_time_in_pages() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    five_events(&app, &organizer, &group).await;
    let mut titles = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/groups/{group}/events?limit=2&cursor={c}"),
            None => format!("/v1/groups/{group}/events?limit=2"),
        };
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        titles.extend(
            items
                .iter()
                .map(|e| e["title"].as_str().expect("title").to_owned()),
        );
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(titles, ["Day 1", "Day 2", "Day 3", "Day 4", "Day 5"]);
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn the_slug_names_the_group_in_its_event_list() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    five_events(&app, &organizer, &group).await;
    let by_slug = body(
        app.get("/v1/groups/lyon-operators/events?limit=50", None)
            .await,
    )
    .await;
    assert_eq!(by_slug["items"].as_array().map(Vec::len), Some(5));
}

#[tokio::test]
async fn a_bad_limit_or_cursor_on_an_event_list_is_400() {
    let World { app, group, .. } = world().await;
    for bad in ["limit=0", "limit=201", "cursor=not-a-cursor"] {
        let response = app
            .get(&format!("/v1/groups/{group}/events?{bad}"), None)
            .await;
        assert_problem(response, 400, "malformed_request").await;
    }
}

#[tokio::test]
async fn the_events_of_an_unknown_group_are_404() {
    let app = TestApp::spawn().await;
    let unknown = Uuid::new_v4();
    assert_problem(
        app.get(&format!("/v1/groups/{unknown}/events"), None).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_or_malformed_event_is_404() {
    let app = TestApp::spawn().await;
    let unknown = Uuid::new_v4();
    assert_problem(
        app.get(&format!("/v1/events/{unknown}"), None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get("/v1/events/not-a-uuid", None).await,
        404,
        "not_found",
    )
    .await;
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

#[tokio::test]
async fn a_pending_groups_event_is_hidden_from_anonymous_callers_and_strangers() {
    let (app, _, _, stranger, group, id) = a_pending_groups_event().await;
    for token in [None, Some(stranger.token.as_str())] {
        assert_problem(
            app.get(&format!("/v1/events/{id}"), token).await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.get(&format!("/v1/groups/{group}/events"), token).await,
            404,
            "not_found",
        )
        .await;
        let (changes, _) = read_feed(&app, token, None, 50).await;
        assert_eq!(changes, Vec::<Value>::new(), "hidden from {token:?}");
        assert_problem(
            patch_event(&app, token, &id, None, &json!({"title": "Mine now"})).await,
            if token.is_some() { 404 } else { 401 },
            if token.is_some() {
                "not_found"
            } else {
                "unauthenticated"
            },
        )
        .await;
    }
}

#[tokio::test]
async fn a_strangers_sync_of_a_pending_group_is_404() {
    let (app, _, _, stranger, group, _) = a_pending_groups_event().await;
    let response = sync(
        &app,
        Some(&stranger.token),
        &group,
        Some("k1"),
        &batch("meetup", "upsert", &site_events("m", 1)),
    )
    .await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(count(&app.db, "events").await, 1);
}

#[tokio::test]
async fn the_organizer_and_staff_see_a_pending_groups_event_and_its_change() {
    let (app, staff, organizer, _, _, id) = a_pending_groups_event().await;
    for viewer in [&organizer, &staff] {
        let response = app
            .get(&format!("/v1/events/{id}"), Some(&viewer.token))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let (changes, _) = read_feed(&app, Some(&viewer.token), None, 50).await;
        assert_eq!(kinds(&changes), [("created".to_owned(), id.clone())]);
    }
}

#[tokio::test]
async fn once_approved_anyone_sees_the_changes_made_while_the_group_was_pending() {
    let (app, staff, _, _, group, id) = a_pending_groups_event().await;
    let response = app
        .post(
            &format!("/v1/groups/{group}/review"),
            Some(&staff.token),
            &json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (changes, _) = read_feed(&app, None, None, 50).await;
    assert_eq!(kinds(&changes), [("created".to_owned(), id)]);
}

/// Marks an event of last week held with 96 attendees, with its current
/// `ETag`; returns the event before and after, and both tags.
async fn mark_held(
    app: &TestApp,
    organizer: &Member,
    group: &str,
) -> (Value, Value, String, String) {
    let created = create_event(app, organizer, group, &manual_event("Last week", -7)).await;
    let id = id_of(&created);
    let (_, tag) = read_event(app, &id).await;
    let response = patch_event(
        app,
        Some(&organizer.token),
        &id,
        Some(&tag),
        &json!({"status": "held", "attendee_count": 96}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let new_tag = response.headers()["etag"]
        .to_str()
        .expect("ETag")
        .to_owned();
    let held = body(response).await;
    (created, held, tag, new_tag)
}

#[tokio::test]
async fn an_organizer_marks_an_event_held_with_its_attendance() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let (created, held, tag, new_tag) = mark_held(&app, &organizer, &group).await;
    let id = id_of(&created);
    assert_ne!(new_tag, tag);
    assert_eq!(held["status"], "held");
    assert_eq!(held["attendee_count"], 96);
    assert_eq!(held["title"], "Last week", "absent fields stay");
    assert_eq!(held["starts_at"], created["starts_at"]);
    assert_eq!(read_event(&app, &id).await, (held.clone(), new_tag));
    let (changes, _) = read_feed(&app, None, None, 50).await;
    assert_eq!(
        kinds(&changes),
        [
            ("created".to_owned(), id.clone()),
            ("updated".to_owned(), id.clone())
        ]
    );
    assert_eq!(changes[1]["event"], held);
    assert_eq!(app.audited(&staff, "event", "event.updated").await, 1);
}

#[tokio::test]
async fn a_stale_if_match_on_an_event_is_412_and_changes_nothing() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let (created, held, tag, _) = mark_held(&app, &organizer, &group).await;
    let id = id_of(&created);
    // The old tag is stale now.
    let response = patch_event(
        &app,
        Some(&organizer.token),
        &id,
        Some(&tag),
        &json!({"attendee_count": 1}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    assert_eq!(read_event(&app, &id).await.0, held);
    let (changes, _) = read_feed(&app, None, None, 50).await;
    assert_eq!(
        kinds(&changes),
        [
            ("created".to_owned(), id.clone()),
            ("updated".to_owned(), id.clone())
        ]
    );
    assert_eq!(changes[1]["event"], held);
    assert_eq!(app.audited(&staff, "event", "event.updated").await, 1);
}

#[tokio::test]
async fn only_an_organizer_changes_an_event() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let stranger = app.member("Sid Stranger").await;
    let created = create_event(&app, &organizer, &group, &manual_event("Next month", 30)).await;
    let id = id_of(&created);
    let changes_before = count(&app.db, "event_changes").await;
    assert_problem(
        patch_event(&app, None, &id, None, &json!({"title": "Anonymous"})).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        patch_event(
            &app,
            Some(&stranger.token),
            &id,
            None,
            &json!({"title": "Mine"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let unknown = Uuid::new_v4().to_string();
    assert_problem(
        patch_event(
            &app,
            Some(&organizer.token),
            &unknown,
            None,
            &json!({"title": "Nope"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // Nothing changed: the same event, no change in the feed.
    assert_eq!(read_event(&app, &id).await.0, created);
    assert_eq!(count(&app.db, "event_changes").await, changes_before);
    assert_eq!(app.audited(&staff, "event", "event.updated").await, 0);
}

#[tokio::test]
async fn an_invalid_event_change_names_every_bad_field_and_changes_nothing() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let created = create_event(&app, &organizer, &group, &manual_event("Next month", 30)).await;
    let id = id_of(&created);
    let changes_before = count(&app.db, "event_changes").await;
    let starts: DateTime<Utc> = created["starts_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("starts_at");
    let invalid = [
        (
            json!({"ends_at": starts - Duration::hours(1)}),
            vec!["ends_at"],
        ),
        (
            json!({"starts_at": starts + Duration::days(1)}),
            vec!["ends_at"],
        ),
        (json!({"attendee_count": 10}), vec!["attendee_count"]),
        (
            json!({"status": "held", "attendee_count": -5, "country": "XX"}),
            vec!["country", "attendee_count"],
        ),
        (json!({"title": ""}), vec!["title"]),
    ];
    for (changes, fields) in invalid {
        let response = patch_event(&app, Some(&organizer.token), &id, None, &changes).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        let mut got = error_fields(&problem);
        got.sort();
        let mut want: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
        want.sort();
        assert_eq!(got, want, "{changes}");
    }
    let problem = assert_problem(
        patch_event(
            &app,
            Some(&organizer.token),
            &id,
            None,
            &json!({"status": "postponed"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["status"]);
    // Nothing changed: the same event, no change in the feed.
    assert_eq!(read_event(&app, &id).await.0, created);
    assert_eq!(count(&app.db, "event_changes").await, changes_before);
    assert_eq!(app.audited(&staff, "event", "event.updated").await, 0);
}

#[tokio::test]
async fn cancelling_an_event_is_a_change_of_its_own_kind_in_the_feed() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let created = create_event(&app, &organizer, &group, &manual_event("Next month", 30)).await;
    let id = id_of(&created);
    let response = patch_event(
        &app,
        Some(&organizer.token),
        &id,
        None,
        &json!({"status": "cancelled"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "cancelled");
    let (changes, _) = read_feed(&app, None, None, 50).await;
    assert_eq!(
        kinds(&changes),
        [
            ("created".to_owned(), id.clone()),
            ("cancelled".to_owned(), id)
        ]
    );
}

#[tokio::test]
async fn only_an_organizer_deletes_an_event() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let stranger = app.member("Sid Stranger").await;
    let created = create_event(&app, &organizer, &group, &manual_event("Doomed", 10)).await;
    let id = id_of(&created);
    let path = format!("/v1/events/{id}");
    assert_problem(
        app.call(Method::DELETE, &path, None)
            .send()
            .await
            .expect("request"),
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.call(Method::DELETE, &path, Some(&stranger.token))
            .send()
            .await
            .expect("request"),
        403,
        "forbidden",
    )
    .await;
    assert_eq!(read_event(&app, &id).await.0, created);
    assert_eq!(count(&app.db, "event_changes").await, 1);
}

#[tokio::test]
async fn a_deleted_event_is_gone_and_its_deletion_is_in_the_feed() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let created = create_event(&app, &organizer, &group, &manual_event("Doomed", 10)).await;
    let id = id_of(&created);
    let path = format!("/v1/events/{id}");
    let response = app
        .call(Method::DELETE, &path, Some(&organizer.token))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(app.get(&path, None).await, 404, "not_found").await;
    assert_problem(
        app.call(Method::DELETE, &path, Some(&organizer.token))
            .send()
            .await
            .expect("request"),
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 0);
    let (changes, _) = read_feed(&app, None, None, 50).await;
    assert_eq!(
        kinds(&changes),
        [
            ("created".to_owned(), id.clone()),
            ("deleted".to_owned(), id)
        ]
    );
    assert_eq!(
        changes[1]["event"],
        Value::Null,
        "no snapshot of a deleted event"
    );
    assert_eq!(changes[1]["group_id"], group.as_str());
    assert_eq!(app.audited(&staff, "event", "event.deleted").await, 1);
}

// ---------------------------------------------------------------------------
// Bulk sync
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_sync_requires_an_idempotency_key() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let request = batch("meetup", "upsert", &site_events("m", 3));
    let response = sync(&app, Some(&organizer.token), &group, None, &request).await;
    let problem = assert_problem(response, 400, "malformed_request").await;
    assert_eq!(error_fields(&problem), ["idempotency-key"]);
    let response = sync(
        &app,
        Some(&organizer.token),
        &group,
        Some("has space"),
        &request,
    )
    .await;
    assert_problem(response, 400, "malformed_request").await;
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn a_sync_key_finds_no_pending_group_it_does_not_list() {
    let World {
        app,
        staff,
        organizer: _,
        group,
    } = world().await;
    let other = app.member("Pam Pending").await;
    let pending = pending_group(&app, &other, "pending-operators").await;
    let key = api_key(&app, &["groups:sync"], &[&group]).await;
    let request = batch("meetup", "upsert", &site_events("m", 1));
    // Exactly as for an id that does not exist: nothing to tell them apart.
    let unknown = Uuid::new_v4().to_string();
    for target in [&pending, &unknown] {
        assert_problem(
            sync(&app, Some(&key), target, Some("k1"), &request).await,
            404,
            "not_found",
        )
        .await;
    }
    // A public group the key does not list is visible, so that is a 403.
    let public = approved_group(&app, &staff, &other, "public-operators").await;
    assert_problem(
        sync(&app, Some(&key), &public, Some("k1"), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 0);
}

#[tokio::test]
async fn only_the_groups_organizers_and_its_sync_key_may_sync_it() {
    let World {
        app,
        staff,
        organizer: _,
        group,
    } = world().await;
    let other_organizer = app.member("Otto Other").await;
    let other_group = approved_group(&app, &staff, &other_organizer, "berlin-operators").await;
    let stranger = app.member("Sid Stranger").await;
    let own_key = api_key(&app, &["groups:sync"], &[&group]).await;
    let other_groups_key = api_key(&app, &["groups:sync"], &[&other_group]).await;
    let wrong_scope_key = api_key(&app, &["passes:read"], &[]).await;
    let request = batch("meetup", "upsert", &site_events("m", 3));
    assert_problem(
        sync(&app, None, &group, Some("k1"), &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        sync(
            &app,
            Some("lia_not-a-real-key"),
            &group,
            Some("k1"),
            &request,
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    // Permission comes before the batch's own errors: a stranger learns nothing from a 422.
    let mut invalid_events = site_events("m", 3);
    invalid_events[1]["country"] = json!("XX");
    let invalid = batch("meetup", "upsert", &invalid_events);
    assert_problem(
        sync(&app, None, &group, Some("k1"), &invalid).await,
        401,
        "unauthenticated",
    )
    .await;
    for token in [
        &stranger.token,
        &other_organizer.token,
        &other_groups_key,
        &wrong_scope_key,
    ] {
        for request in [&request, &invalid] {
            assert_problem(
                sync(&app, Some(token), &group, Some("k1"), request).await,
                403,
                "forbidden",
            )
            .await;
        }
    }
    let unknown = Uuid::new_v4().to_string();
    assert_problem(
        sync(&app, Some(&own_key), &unknown, Some("k1"), &request).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn an_organizer_and_the_groups_sync_key_sync_it_by_id_or_slug() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let own_key = api_key(&app, &["groups:sync"], &[&group]).await;
    let request = batch("meetup", "upsert", &site_events("m", 3));
    assert_eq!(
        synced(&app, &organizer.token, &group, "k1", &request).await,
        counts(3, 0, 0, 0)
    );
    let more = batch("meetup", "upsert", &site_events("n", 2));
    assert_eq!(
        synced(&app, &own_key, "lyon-operators", "k1", &more).await,
        counts(2, 0, 0, 0)
    );
    let events = events_by_external_id(&app, &group).await;
    assert_eq!(
        events.keys().collect::<Vec<_>>(),
        ["m-0", "m-1", "m-2", "n-0", "n-1"]
    );
    assert!(events.values().all(|e| e["source"] == "meetup"));
    assert_eq!(count(&app.db, "events").await, 5);
    assert_eq!(app.audited(&staff, "group", "events.synced").await, 2);
}

/// Ten future events synced with key `k1`: the batch, the request, and the
/// first answer's status and bytes.
async fn ten_synced_events(
    app: &TestApp,
    organizer: &Member,
    group: &str,
) -> (Vec<Value>, Value, (StatusCode, Vec<u8>)) {
    let events = site_events("m", 10);
    let request = batch("meetup", "upsert", &events);
    let first = parts(sync(app, Some(&organizer.token), group, Some("k1"), &request).await).await;
    assert_eq!(first.0, StatusCode::OK);
    (events, request, first)
}

#[tokio::test]
async fn a_batch_sent_again_under_a_new_key_changes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (events, request, first) = ten_synced_events(&app, &organizer, &group).await;
    let first_counts: Value = serde_json::from_slice(&first.1).expect("JSON");
    assert_eq!(first_counts, counts(10, 0, 0, 0));
    assert_eq!(count(&app.db, "events").await, 10);
    assert_eq!(count(&app.db, "event_changes").await, 10);
    let stored = events_by_external_id(&app, &group).await;
    assert_eq!(stored["m-3"]["title"], "Meetup m-3");
    assert_eq!(stored["m-3"]["starts_at"], events[3]["starts_at"]);
    assert_eq!(stored["m-3"]["ends_at"], events[3]["ends_at"]);
    assert_eq!(stored["m-3"]["rsvp_count"], 40);
    // No change in the feed either.
    assert_eq!(
        synced(&app, &organizer.token, &group, "k2", &request).await,
        counts(0, 0, 10, 0)
    );
    assert_eq!(count(&app.db, "events").await, 10);
    assert_eq!(count(&app.db, "event_changes").await, 10);
    assert_eq!(events_by_external_id(&app, &group).await, stored);
}

#[tokio::test]
async fn a_sync_retried_with_its_key_replays_the_first_answer_byte_for_byte() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (_, request, first) = ten_synced_events(&app, &organizer, &group).await;
    let retry = parts(sync(&app, Some(&organizer.token), &group, Some("k1"), &request).await).await;
    assert_eq!(retry, first);
    assert_eq!(count(&app.db, "event_changes").await, 10);
}

#[tokio::test]
async fn a_sync_key_sent_again_with_another_batch_is_409_and_acts_not() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (events, _, _) = ten_synced_events(&app, &organizer, &group).await;
    let stored = events_by_external_id(&app, &group).await;
    let mut changed = events.clone();
    changed[4]["title"] = json!("Renamed");
    let other = batch("meetup", "upsert", &changed);
    assert_problem(
        sync(&app, Some(&organizer.token), &group, Some("k1"), &other).await,
        409,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(events_by_external_id(&app, &group).await, stored);
}

#[tokio::test]
async fn a_changed_batch_under_a_new_key_updates_only_the_changed_event() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (events, _, _) = ten_synced_events(&app, &organizer, &group).await;
    let mut changed = events.clone();
    changed[4]["title"] = json!("Renamed");
    let other = batch("meetup", "upsert", &changed);
    assert_eq!(
        synced(&app, &organizer.token, &group, "k3", &other).await,
        counts(0, 1, 9, 0)
    );
    assert_eq!(count(&app.db, "event_changes").await, 11);
    let (changes, _) = read_feed(&app, None, None, 200).await;
    assert_eq!(changes.len(), 11);
    let last = &changes[10];
    assert_eq!(last["kind"], "updated");
    assert_eq!(last["event"]["external_id"], "m-4");
    assert_eq!(last["event"]["title"], "Renamed");
}

/// Ten events of which four are invalid, as a snapshot.
fn four_invalid_of_ten() -> Value {
    let mut events = site_events("m", 10);
    events[3]["ends_at"] = events[3]["starts_at"].clone();
    events[7]["country"] = json!("XX");
    events[8]["title"] = json!("   ");
    events[9]["attendee_count"] = json!(12);
    batch("meetup", "snapshot", &events)
}

#[tokio::test]
async fn one_invalid_event_rejects_the_whole_batch_naming_every_error() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let request = four_invalid_of_ten();
    let response = sync(&app, Some(&organizer.token), &group, Some("k1"), &request).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        [
            "events[3].ends_at",
            "events[7].country",
            "events[8].title",
            "events[9].attendee_count"
        ]
    );
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn a_rejected_batch_does_not_burn_its_key() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let response = sync(
        &app,
        Some(&organizer.token),
        &group,
        Some("k1"),
        &four_invalid_of_ten(),
    )
    .await;
    assert_problem(response, 422, "validation_failed").await;
    // The fixed batch goes through with the same key.
    let fixed = batch("meetup", "snapshot", &site_events("m", 10));
    assert_eq!(
        synced(&app, &organizer.token, &group, "k1", &fixed).await,
        counts(10, 0, 0, 0)
    );
}

#[tokio::test]
async fn an_event_missing_a_field_is_reported_with_every_other_error() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let mut events = site_events("m", 10);
    events[3]["ends_at"] = events[3]["starts_at"].clone();
    events[5]
        .as_object_mut()
        .expect("an object")
        .remove("title");
    events[6]["starts_at"] = json!("next tuesday");
    events[7]["country"] = json!("XX");
    let request = batch("meetup", "upsert", &events);
    let response = sync(&app, Some(&organizer.token), &group, Some("k1"), &request).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        [
            "events[3].ends_at",
            "events[5].title",
            "events[6].starts_at",
            "events[7].country"
        ],
        "every error of the batch, not only the unparsable event: {problem}"
    );
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
}

#[tokio::test]
async fn bad_batches_are_422_and_write_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let mut duplicated = site_events("m", 5);
    duplicated[4]["external_id"] = json!("m-1");
    let mut anonymous = site_events("m", 3);
    anonymous[2]
        .as_object_mut()
        .expect("an object")
        .remove("external_id");
    let mut blank_id = site_events("m", 2);
    blank_id[1]["external_id"] = json!("");
    let cases = [
        (
            batch("meetup", "upsert", &duplicated),
            vec!["events[4].external_id"],
        ),
        (
            batch("meetup", "upsert", &anonymous),
            vec!["events[2].external_id"],
        ),
        (
            batch("meetup", "upsert", &blank_id),
            vec!["events[1].external_id"],
        ),
        (
            batch("meetup", "upsert", &site_events("m", 1001)),
            vec!["events"],
        ),
        (
            batch("manual", "upsert", &site_events("m", 2)),
            vec!["source"],
        ),
        (
            batch("Meetup!", "upsert", &site_events("m", 2)),
            vec!["source"],
        ),
    ];
    for (request, fields) in cases {
        let response = sync(&app, Some(&organizer.token), &group, Some("k1"), &request).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), fields, "{}", problem["detail"]);
    }
    // Bodies that are not a batch name what is wrong with them.
    for (request, field) in [
        (
            json!({"source": "meetup", "mode": "merge", "events": []}),
            "mode",
        ),
        (json!({"source": "meetup", "events": []}), "mode"),
        // serde reads a struct from an array by position: the first item is wrong.
        (json!([1, 2, 3]), "[0]"),
    ] {
        let problem = assert_problem(
            sync(&app, Some(&organizer.token), &group, Some("k1"), &request).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{request}");
    }
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn a_sync_body_that_is_not_json_at_all_is_400_and_writes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let response = app
        .call(
            Method::PUT,
            &format!("/v1/groups/{group}/events/sync"),
            Some(&organizer.token),
        )
        .header("Idempotency-Key", "k1")
        .header("Content-Type", "application/json")
        .body("{\"source\": \"meetup\", \"mode\": ")
        .send()
        .await
        .expect("request");
    assert_problem(response, 400, "malformed_request").await;
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn a_sync_body_over_10_mib_is_413_and_writes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let mut events = site_events("m", 2);
    events[0]["description"] = json!("x".repeat(10 * 1024 * 1024 + 512 * 1024));
    let request = batch("meetup", "upsert", &events);
    let response = sync(&app, Some(&organizer.token), &group, Some("k1"), &request).await;
    assert_problem(response, 413, "payload_too_large").await;
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn a_sync_body_not_sent_as_json_is_415_and_writes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let text =
        serde_json::to_string(&batch("meetup", "upsert", &site_events("m", 2))).expect("JSON text");
    let response = app
        .call(
            Method::PUT,
            &format!("/v1/groups/{group}/events/sync"),
            Some(&organizer.token),
        )
        .header("Idempotency-Key", "k1")
        .header("Content-Type", "text/plain")
        .body(text.clone())
        .send()
        .await
        .expect("request");
    assert_problem(response, 415, "unsupported_media_type").await;
    let response = app
        .call(
            Method::PUT,
            &format!("/v1/groups/{group}/events/sync"),
            Some(&organizer.token),
        )
        .header("Idempotency-Key", "k1")
        .body(text)
        .send()
        .await
        .expect("request");
    assert_problem(response, 415, "unsupported_media_type").await;
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn a_sync_body_just_under_10_mib_is_accepted() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    // 1000 events of 9 KiB descriptions (~9.4 MiB).
    let big: Vec<Value> = (0..1000i64)
        .map(|i| {
            let mut e = site_event(&format!("big-{i}"), 1 + i % 300);
            e["description"] = json!("d".repeat(9 * 1024));
            e
        })
        .collect();
    let request = batch("meetup", "upsert", &big);
    let size = serde_json::to_vec(&request).expect("JSON").len();
    assert!(size < 10 * 1024 * 1024 && size > 9 * 1024 * 1024, "{size}");
    assert_eq!(
        synced(&app, &organizer.token, &group, "k2", &request).await,
        counts(1000, 0, 0, 0)
    );
}

/// A meetup snapshot of one past and three future events (`f1`–`f3`), a
/// luma snapshot of its own `f2`, and a manual event; returns the future
/// events, the manual event, and the feed's cursor after all of them.
async fn three_sources(
    app: &TestApp,
    organizer: &Member,
    group: &str,
) -> (Vec<Value>, Value, String) {
    let past = site_event("past", -10);
    let futures: Vec<Value> = (1..=3)
        .map(|i| site_event(&format!("f{i}"), i * 5))
        .collect();
    let mut first = vec![past.clone()];
    first.extend(futures.iter().cloned());
    assert_eq!(
        synced(
            app,
            &organizer.token,
            group,
            "s1",
            &batch("meetup", "snapshot", &first)
        )
        .await,
        counts(4, 0, 0, 0)
    );
    // Another source and a manual event of the same group.
    assert_eq!(
        synced(
            app,
            &organizer.token,
            group,
            "s2",
            &batch("luma", "snapshot", &[site_event("f2", 8)])
        )
        .await,
        counts(1, 0, 0, 0)
    );
    let manual = create_event(app, organizer, group, &manual_event("By hand", 12)).await;
    let (_, cursor) = read_feed(app, None, None, 200).await;
    (futures, manual, cursor)
}

#[tokio::test]
async fn an_upsert_leaves_the_sources_missing_events_alone() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (futures, _, _) = three_sources(&app, &organizer, &group).await;
    assert_eq!(
        synced(
            &app,
            &organizer.token,
            &group,
            "s3",
            &batch("meetup", "upsert", &futures[..1])
        )
        .await,
        counts(0, 0, 1, 0)
    );
}

#[tokio::test]
async fn a_snapshot_cancels_the_sources_future_events_missing_from_it() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (futures, manual, cursor) = three_sources(&app, &organizer, &group).await;
    // Snapshot mode cancels f2 and f3 of meetup, not the past event, not luma's f2, not the manual one.
    let snapshot = batch("meetup", "snapshot", &futures[..1]);
    assert_eq!(
        synced(&app, &organizer.token, &group, "s4", &snapshot).await,
        counts(0, 0, 1, 2)
    );
    let statuses: BTreeMap<(String, String), String> = all_events(&app, &group)
        .await
        .into_iter()
        .map(|e| {
            (
                (
                    e["source"].as_str().expect("source").to_owned(),
                    e["external_id"].as_str().expect("external id").to_owned(),
                ),
                e["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect();
    let expected: BTreeMap<(String, String), String> = [
        (("meetup", "past"), "held"),
        (("meetup", "f1"), "scheduled"),
        (("meetup", "f2"), "cancelled"),
        (("meetup", "f3"), "cancelled"),
        (("luma", "f2"), "scheduled"),
        (
            (
                "manual",
                manual["external_id"].as_str().expect("external id"),
            ),
            "scheduled",
        ),
    ]
    .into_iter()
    .map(|((s, e), st)| ((s.to_owned(), e.to_owned()), st.to_owned()))
    .collect();
    assert_eq!(statuses, expected);
    let (changes, _) = read_feed(&app, None, Some(cursor), 200).await;
    let mut cancelled: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().expect("kind").to_owned(),
                c["event"]["external_id"]
                    .as_str()
                    .expect("external id")
                    .to_owned(),
            )
        })
        .collect();
    cancelled.sort();
    assert_eq!(
        cancelled,
        [
            ("cancelled".to_owned(), "f2".to_owned()),
            ("cancelled".to_owned(), "f3".to_owned())
        ]
    );
    assert!(changes.iter().all(|c| c["event"]["status"] == "cancelled"));
}

#[tokio::test]
async fn the_same_snapshot_again_cancels_nothing_more() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (futures, _, _) = three_sources(&app, &organizer, &group).await;
    let snapshot = batch("meetup", "snapshot", &futures[..1]);
    assert_eq!(
        synced(&app, &organizer.token, &group, "s4", &snapshot).await,
        counts(0, 0, 1, 2)
    );
    assert_eq!(
        synced(&app, &organizer.token, &group, "s5", &snapshot).await,
        counts(0, 0, 1, 0)
    );
    assert_eq!(count(&app.db, "event_changes").await, 8);
}

#[tokio::test]
async fn a_cancelled_event_sent_again_as_scheduled_comes_back() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (futures, _, _) = three_sources(&app, &organizer, &group).await;
    let snapshot = batch("meetup", "snapshot", &futures[..1]);
    assert_eq!(
        synced(&app, &organizer.token, &group, "s4", &snapshot).await,
        counts(0, 0, 1, 2)
    );
    assert_eq!(
        synced(
            &app,
            &organizer.token,
            &group,
            "s6",
            &batch("meetup", "snapshot", &futures)
        )
        .await,
        counts(0, 2, 1, 0)
    );
}

/// Every event of a group, whatever its source.
async fn all_events(app: &TestApp, group: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/v1/groups/{group}/events?limit=200"), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    assert_eq!(page["next_cursor"], Value::Null);
    page["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn a_sync_of_1000_events_creates_them_all_then_changes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let events = site_events("m", 1000);
    let request = batch("meetup", "snapshot", &events);
    assert_eq!(
        synced(&app, &organizer.token, &group, "k1", &request).await,
        counts(1000, 0, 0, 0)
    );
    assert_eq!(count(&app.db, "events").await, 1000);
    assert_eq!(count(&app.db, "event_changes").await, 1000);
    assert_eq!(
        synced(&app, &organizer.token, &group, "k2", &request).await,
        counts(0, 0, 1000, 0)
    );
    assert_eq!(count(&app.db, "event_changes").await, 1000);
    let stored = events_by_external_id(&app, &group).await;
    assert_eq!(stored.len(), 1000);
    assert_eq!(stored["m-999"]["starts_at"], events[999]["starts_at"]);
    // The feed hands them out in pages of up to 1000, each once.
    let (changes, _) = read_feed(&app, None, None, 1000).await;
    assert_eq!(changes.len(), 1000);
    let ids: BTreeSet<&str> = changes
        .iter()
        .map(|c| c["event_id"].as_str().expect("event id"))
        .collect();
    assert_eq!(ids.len(), 1000);
    assert!(changes.iter().all(|c| c["kind"] == "created"));
    let (again, _) = read_feed(&app, None, None, 333).await;
    assert_eq!(kinds(&again), kinds(&changes));
}

// ---------------------------------------------------------------------------
// The change feed
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_feed_shows_every_kind_of_change_in_commit_order() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    // An empty feed still hands out a cursor, and the cursor keeps working.
    let empty = feed_page(&app, None, None, 10).await;
    assert_eq!(empty["items"], json!([]));
    let start = empty["next_cursor"].as_str().expect("cursor").to_owned();
    let manual = create_event(&app, &organizer, &group, &manual_event("By hand", 5)).await;
    let manual_id = id_of(&manual);
    let response = patch_event(
        &app,
        Some(&organizer.token),
        &manual_id,
        None,
        &json!({"title": "By hand, renamed"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let events = site_events("m", 2);
    synced(
        &app,
        &organizer.token,
        &group,
        "k1",
        &batch("meetup", "snapshot", &events),
    )
    .await;
    synced(
        &app,
        &organizer.token,
        &group,
        "k2",
        &batch("meetup", "snapshot", &events[..1]),
    )
    .await;
    let response = app
        .call(
            Method::DELETE,
            &format!("/v1/events/{manual_id}"),
            Some(&organizer.token),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Followed two at a time from the start cursor.
    let (changes, end) = read_feed(&app, None, Some(start), 2).await;
    let listed: Vec<(String, String, Option<String>)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().expect("kind").to_owned(),
                c["event_id"].as_str().expect("event id").to_owned(),
                c["event"]["external_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let stored = events_by_external_id(&app, &group).await;
    let m0 = id_of(&stored["m-0"]);
    let m1 = id_of(&stored["m-1"]);
    let manual_external = manual["external_id"].as_str().map(str::to_owned);
    assert_eq!(
        listed,
        [
            (
                "created".to_owned(),
                manual_id.clone(),
                manual_external.clone()
            ),
            ("updated".to_owned(), manual_id.clone(), manual_external),
            ("created".to_owned(), m0, Some("m-0".to_owned())),
            ("created".to_owned(), m1.clone(), Some("m-1".to_owned())),
            ("cancelled".to_owned(), m1, Some("m-1".to_owned())),
            ("deleted".to_owned(), manual_id, None),
        ]
    );
    assert_eq!(changes[1]["event"]["title"], "By hand, renamed");
    assert_eq!(changes[4]["event"]["status"], "cancelled");
    assert_eq!(changes[5]["event"], Value::Null);
    assert!(changes
        .iter()
        .all(|c| c["group_id"] == group.as_str() && c["changed_at"].is_string()));
    // From the start (no cursor) in one page: the same changes.
    let (all, _) = read_feed(&app, None, None, 1000).await;
    assert_eq!(all, changes);
    // At the end: empty pages that still carry a cursor.
    let page = feed_page(&app, None, Some(&end), 10).await;
    assert_eq!(page["items"], json!([]));
    assert!(page["next_cursor"].as_str().is_some_and(|c| !c.is_empty()));
    // Signed-in readers see the same public changes.
    let member = app.member("Mia Member").await;
    let (theirs, _) = read_feed(&app, Some(&member.token), None, 1000).await;
    assert_eq!(theirs, changes);
}

#[tokio::test]
async fn the_feed_filters_by_group_and_region_and_each_change_keeps_one_id() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    app.region(&staff, "americas", &["US"], 3).await;
    let response = app
        .post(
            "/v1/groups",
            Some(&organizer.token),
            &json!({"name": "Austin ops", "slug": "austin-ops", "country": "US", "city": "Austin", "coc_accepted": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let austin = id_of(&body(response).await);
    app.approve(&staff, &austin).await;
    app.group_event(&organizer, &group, 10, "scheduled", None)
        .await;
    app.group_event(&organizer, &austin, 12, "scheduled", None)
        .await;
    settled(&app).await;
    let groups_in = |query: String| {
        let app = &app;
        async move {
            let page = body(app.get(&format!("/v1/events/changes?{query}"), None).await).await;
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|c| {
                    (
                        c["id"].as_i64().expect("id"),
                        c["group_id"].as_str().expect("group_id").to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let everything = groups_in(String::new()).await;
    assert_eq!(everything.len(), 2);
    assert_ne!(everything[0].0, everything[1].0, "ids are unique");
    assert_eq!(groups_in(String::new()).await, everything, "and stable");
    let lyon_only: Vec<_> = everything
        .iter()
        .filter(|(_, g)| *g == group)
        .cloned()
        .collect();
    assert_eq!(groups_in(format!("group={group}")).await, lyon_only);
    assert_eq!(groups_in("region=europe".into()).await, lyon_only);
    let austin_only: Vec<_> = everything
        .iter()
        .filter(|(_, g)| *g == austin)
        .cloned()
        .collect();
    assert_eq!(groups_in("region=americas".into()).await, austin_only);
    assert_eq!(groups_in("region=nowhere".into()).await, vec![]);
}

#[tokio::test]
async fn a_bad_cursor_or_limit_is_400() {
    let app = TestApp::spawn().await;
    for query in [
        "cursor=not-a-cursor",
        "cursor=Wy0xLDJd",
        "cursor=WzEsMiwzXQ",
        "cursor=eyJhIjoxfQ",
        "limit=0",
        "limit=1001",
        "limit=ten",
    ] {
        let response = app.get(&format!("/v1/events/changes?{query}"), None).await;
        assert_problem(response, 400, "malformed_request").await;
    }
    let page = feed_page(&app, None, None, 1000).await;
    assert_eq!(page["items"], json!([]));
}

// ---------------------------------------------------------------------------
// Races
// ---------------------------------------------------------------------------

#[tokio::test]
async fn overlapping_syncs_racing_never_duplicate_an_event_and_their_counts_add_up() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    // Two batches sharing 30 of their 60 events.
    let all = site_events("a", 90);
    let first = batch("meetup", "upsert", &all[..60]);
    let second = batch("meetup", "upsert", &all[30..]);
    let responses = join_all([
        sync(&app, Some(&organizer.token), &group, Some("a1"), &first),
        sync(&app, Some(&organizer.token), &group, Some("a2"), &second),
    ])
    .await;
    let mut created = 0;
    for response in responses {
        assert_eq!(response.status(), StatusCode::OK);
        let result = body(response).await;
        let total = ["created", "updated", "unchanged", "cancelled"]
            .iter()
            .map(|k| result[*k].as_i64().expect("a count"))
            .sum::<i64>();
        assert_eq!(total, 60, "{result}");
        assert_eq!(result["updated"], 0);
        created += result["created"].as_i64().expect("created");
    }
    assert_eq!(created, 90, "each event created once");
    assert_eq!(count(&app.db, "events").await, 90);
    // Ten batches of 40, each overlapping the next by 30: 130 distinct events.
    let all = site_events("b", 130);
    let requests: Vec<Value> = (0..10)
        .map(|k| batch("meetup", "upsert", &all[k * 10..k * 10 + 40]))
        .collect();
    let keys: Vec<String> = (0..10).map(|k| format!("b{k}")).collect();
    let calls = requests
        .iter()
        .zip(&keys)
        .map(|(request, key)| sync(&app, Some(&organizer.token), &group, Some(key), request));
    let responses = join_all(calls).await;
    let mut created = 0;
    for response in responses {
        assert_eq!(response.status(), StatusCode::OK);
        let result = body(response).await;
        assert_eq!(result["updated"], 0, "{result}");
        assert_eq!(
            result["created"].as_i64().expect("created")
                + result["unchanged"].as_i64().expect("unchanged"),
            40
        );
        created += result["created"].as_i64().expect("created");
    }
    assert_eq!(created, 130, "each event created once");
    assert_eq!(count(&app.db, "events").await, 220);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*)::bigint AS n FROM (SELECT 1 FROM events GROUP BY group_id, source, external_id HAVING count(*) > 1) d",
        )
        .await,
        0
    );
    // One `created` change per event, none for the unchanged repeats.
    assert_eq!(count(&app.db, "event_changes").await, 220);
    assert_eq!(events_by_external_id(&app, &group).await.len(), 220);
}

#[tokio::test]
async fn concurrent_twins_of_one_sync_with_one_key_act_once_and_answer_alike() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let request = batch("meetup", "snapshot", &site_events("t", 50));
    let calls = (0..8).map(|_| sync(&app, Some(&organizer.token), &group, Some("twin"), &request));
    let mut answers = Vec::new();
    for response in join_all(calls).await {
        answers.push(parts(response).await);
    }
    assert!(
        answers.iter().all(|a| a.0 == StatusCode::OK),
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    assert!(answers.iter().all(|a| a.1 == answers[0].1), "one answer");
    let result: Value = serde_json::from_slice(&answers[0].1).expect("JSON");
    assert_eq!(result, counts(50, 0, 0, 0));
    assert_eq!(count(&app.db, "events").await, 50);
    assert_eq!(count(&app.db, "event_changes").await, 50);
}

/// `(event_id, kind, title)` of a change; unique per change in the race below.
fn change_key(change: &Value) -> (String, String, String) {
    (
        change["event_id"].as_str().expect("event id").to_owned(),
        change["kind"].as_str().expect("kind").to_owned(),
        change["event"]["title"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn a_reader_following_the_feed_during_concurrent_writes_sees_every_change_once() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let group_id: Uuid = group.parse().expect("group id");
    let done = AtomicBool::new(false);
    let reader = async {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut empty_after_done = 0;
        let mut polls = 0;
        let deadline = Instant::now() + StdDuration::from_secs(90);
        loop {
            let finished = done.load(Ordering::SeqCst);
            let page = feed_page(&app, None, cursor.as_deref(), 7).await;
            polls += 1;
            cursor = Some(page["next_cursor"].as_str().expect("cursor").to_owned());
            let items = page["items"].as_array().expect("items");
            if items.is_empty() {
                if finished {
                    empty_after_done += 1;
                    if empty_after_done == 2 {
                        break;
                    }
                }
                tokio::time::sleep(StdDuration::from_millis(5)).await;
            } else {
                empty_after_done = 0;
                seen.extend(items.iter().cloned());
            }
            assert!(Instant::now() < deadline, "the reader never caught up");
        }
        (seen, polls)
    };
    let writers = async {
        // A writer that takes its transaction id first and commits last.
        let late = app.db.begin().await.expect("begin the late writer");
        let early_xid = late
            .query_one(Statement::from_string(
                late.get_database_backend(),
                "SELECT pg_current_xact_id()::text AS xid",
            ))
            .await
            .expect("take an xid")
            .and_then(|row| row.try_get::<String>("", "xid").ok())
            .expect("an xid");
        let late_event = Uuid::new_v4();
        late.execute(Statement::from_sql_and_values(
            late.get_database_backend(),
            "INSERT INTO events (id, group_id, source, external_id, title, starts_at, ends_at, status)
             VALUES ($1, $2, 'legacy', 'late-1', 'late', now() + interval '30 days', now() + interval '30 days 2 hours', 'scheduled')",
            [late_event.into(), group_id.into()],
        ))
        .await
        .expect("insert the late event");
        late.execute(Statement::from_sql_and_values(
            late.get_database_backend(),
            "INSERT INTO event_changes (event_id, group_id, kind, event)
             SELECT e.id, e.group_id, 'created', to_jsonb(e) FROM events e WHERE e.id = $1",
            [late_event.into()],
        ))
        .await
        .expect("record the late creation");
        // 20 concurrent creations, then 20 concurrent changes and 5 concurrent syncs.
        let requests: Vec<Value> = (0..20)
            .map(|i| manual_event(&format!("w{i}"), i + 1))
            .collect();
        let creations = requests
            .iter()
            .map(|request| post_event(&app, Some(&organizer.token), &group, request));
        let mut created = Vec::new();
        for response in join_all(creations).await {
            assert_eq!(response.status(), StatusCode::CREATED);
            created.push(body(response).await);
        }
        let changes: Vec<Value> = created
            .iter()
            .map(|e| json!({"title": format!("{}-patched", e["title"].as_str().expect("title"))}))
            .collect();
        let patches = created.iter().zip(&changes).map(|(e, change)| {
            patch_event(
                &app,
                Some(&organizer.token),
                e["id"].as_str().expect("id"),
                None,
                change,
            )
        });
        let sync_requests: Vec<Value> = (0..5)
            .map(|j| batch("meetup", "upsert", &site_events(&format!("s{j}"), 2)))
            .collect();
        let keys: Vec<String> = (0..5).map(|j| format!("s{j}")).collect();
        let syncs = sync_requests
            .iter()
            .zip(&keys)
            .map(|(request, key)| sync(&app, Some(&organizer.token), &group, Some(key), request));
        let (patched, synced) = tokio::join!(join_all(patches), join_all(syncs));
        for response in patched.into_iter().chain(synced) {
            assert_eq!(response.status(), StatusCode::OK);
        }
        // The reader polls on while the late writer is still open.
        tokio::time::sleep(StdDuration::from_millis(300)).await;
        late.execute(Statement::from_sql_and_values(
            late.get_database_backend(),
            "UPDATE events SET title = 'late-updated', updated_at = now() WHERE id = $1",
            [late_event.into()],
        ))
        .await
        .expect("update the late event");
        late.execute(Statement::from_sql_and_values(
            late.get_database_backend(),
            "INSERT INTO event_changes (event_id, group_id, kind, event)
             SELECT e.id, e.group_id, 'updated', to_jsonb(e) FROM events e WHERE e.id = $1",
            [late_event.into()],
        ))
        .await
        .expect("record the late change");
        late.commit().await.expect("commit the late writer");
        settled(&app).await;
        done.store(true, Ordering::SeqCst);
        (early_xid, late_event)
    };
    let ((seen, polls), (early_xid, late_event)) =
        tokio::time::timeout(StdDuration::from_secs(120), async {
            tokio::join!(reader, writers)
        })
        .await
        .expect("the race finishes");
    // The late writer's changes sit behind every other writer's position.
    let behind = scalar(
        &app.db,
        &format!("SELECT count(*)::bigint AS n FROM event_changes WHERE xid > '{early_xid}'::xid8"),
    )
    .await;
    assert_eq!(behind, 50, "20 creations, 20 changes and 10 synced events");
    assert_eq!(count(&app.db, "event_changes").await, 52);
    assert!(polls > 5, "the reader polled while writers wrote ({polls})");
    // Every change exactly once.
    let keys: Vec<(String, String, String)> = seen.iter().map(change_key).collect();
    let distinct: BTreeSet<_> = keys.iter().cloned().collect();
    assert_eq!(distinct.len(), keys.len(), "a change was seen twice");
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT event_id::text AS event_id, kind, coalesce(event->>'title', '') AS title FROM event_changes",
        ))
        .await
        .expect("read the changes");
    let written: BTreeSet<(String, String, String)> = rows
        .iter()
        .map(|row| {
            (
                row.try_get::<String>("", "event_id").expect("event_id"),
                row.try_get::<String>("", "kind").expect("kind"),
                row.try_get::<String>("", "title").expect("title"),
            )
        })
        .collect();
    assert_eq!(written.len(), 52);
    assert_eq!(
        distinct, written,
        "the reader saw exactly the changes written"
    );
    let late_id = late_event.to_string();
    assert!(distinct.contains(&(late_id.clone(), "created".into(), "late".into())));
    assert!(distinct.contains(&(late_id, "updated".into(), "late-updated".into())));
}
