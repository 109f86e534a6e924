//! `PUT /v1/groups/{id}/events/sync`: upsert and snapshot modes, large and overlapping batches.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::future::join_all;
use liaison_tests::{body, count, scalar, Member, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

use super::{
    batch, counts, create_event, events_by_external_id, kinds, manual_event, read_feed, site_event,
    site_events, sync, synced, world, World,
};

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
