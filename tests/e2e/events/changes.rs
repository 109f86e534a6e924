//! `GET /v1/events/changes`: the change feed, which never skips nor repeats a change.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration as StdDuration, Instant};

use futures_util::future::join_all;
use liaison_tests::{assert_problem, body, count, id_of, patch_event, scalar, TestApp};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    a_pending_groups_event, batch, create_event, events_by_external_id, feed_page, kinds,
    manual_event, post_event, read_feed, settled, site_events, sync, synced, world, World,
};

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
async fn a_bad_cursor_or_limit_on_the_change_feed_is_400() {
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

/// Reads the feed to its end from `cursor`; answers the changes and the cursor after them.
async fn drain(app: &TestApp, mut cursor: Option<String>) -> (Vec<Value>, Option<String>) {
    let mut seen = Vec::new();
    loop {
        let page = feed_page(app, None, cursor.as_deref(), 50).await;
        cursor = Some(page["next_cursor"].as_str().expect("cursor").to_owned());
        let items = page["items"].as_array().expect("items").clone();
        if items.is_empty() {
            return (seen, cursor);
        }
        seen.extend(items);
    }
}

#[tokio::test]
async fn a_transaction_left_open_in_another_database_holds_no_change_back() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let (_, cursor) = drain(&app, None).await;
    // Another database of the server, a transaction with an id, left open.
    let other = sea_orm::Database::connect(liaison_tests::database_url("postgres"))
        .await
        .expect("connect to another database");
    let open = other.begin().await.expect("begin");
    open.query_one(Statement::from_string(
        open.get_database_backend(),
        "SELECT pg_current_xact_id()::text AS xid",
    ))
    .await
    .expect("take an xid");
    let response = post_event(
        &app,
        Some(&organizer.token),
        &group,
        &manual_event("while-open", 3),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = body(response).await;
    let start = Instant::now();
    let mut found = false;
    let mut cursor = cursor;
    while start.elapsed() < StdDuration::from_secs(1) && !found {
        let (items, next) = drain(&app, cursor).await;
        cursor = next;
        found = items.iter().any(|c| c["event_id"] == created["id"]);
    }
    assert!(
        found,
        "the change is readable within 1 s while the other transaction is open"
    );
    open.rollback().await.expect("roll back");
}

#[tokio::test]
async fn writers_that_sleep_inside_their_transactions_lose_no_change_and_repeat_none() {
    let World { app, group, .. } = world().await;
    let group_id: Uuid = group.parse().expect("group id");
    let (_, start_cursor) = drain(&app, None).await;
    let done = AtomicBool::new(false);
    let writers = async {
        let writes = (0..20).map(|i| {
            let db = &app.db;
            async move {
                let txn = db.begin().await.expect("begin a writer");
                txn.execute(Statement::from_sql_and_values(
                    txn.get_database_backend(),
                    "INSERT INTO event_changes (event_id, group_id, kind, event) VALUES ($1, $2, 'created', NULL)",
                    [Uuid::new_v4().into(), group_id.into()],
                ))
                .await
                .expect("record a change");
                // Taken its id early, commits late: in any order against the others.
                txn.execute_unprepared(&format!("SELECT pg_sleep({})", (i * 37 % 20) as f64 / 50.0))
                    .await
                    .expect("sleep inside the transaction");
                txn.commit().await.expect("commit");
            }
        });
        join_all(writes).await;
        done.store(true, Ordering::SeqCst);
    };
    let reader = async {
        let mut seen = Vec::new();
        let mut cursor = start_cursor;
        let deadline = Instant::now() + StdDuration::from_secs(60);
        loop {
            let finished = done.load(Ordering::SeqCst);
            let (items, next) = drain(&app, cursor).await;
            cursor = next;
            seen.extend(items);
            if finished {
                let (rest, _) = drain(&app, cursor.clone()).await;
                seen.extend(rest);
                return seen;
            }
            assert!(Instant::now() < deadline, "the writers never finished");
            tokio::time::sleep(StdDuration::from_millis(10)).await;
        }
    };
    let ((), seen) = tokio::join!(writers, reader);
    let ids: Vec<i64> = seen
        .iter()
        .map(|c| c["id"].as_i64().expect("change id"))
        .collect();
    let distinct: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 20, "every change once: {ids:?}");
    assert_eq!(distinct.len(), 20);
}

/// Found by schemathesis: `PATCH` and `DELETE` went to `/events/{id}` and
/// answered that no event is called `changes`.
#[tokio::test]
async fn another_method_on_the_feed_is_405_allowing_get() {
    let app = TestApp::spawn().await;
    for method in [Method::PATCH, Method::DELETE, Method::POST, Method::PUT] {
        let response = app
            .call(method.clone(), "/v1/events/changes", None)
            .send()
            .await
            .expect("request");
        assert_eq!(response.headers()["allow"], "GET", "{method}");
        assert_problem(response, 405, "method_not_allowed").await;
    }
    assert_eq!(
        app.get("/v1/events/changes", None).await.status(),
        StatusCode::OK
    );
}
