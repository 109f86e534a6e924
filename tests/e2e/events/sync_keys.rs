//! `PUT /v1/groups/{id}/events/sync`: the `Idempotency-Key` a sync needs, replays and twins.

use futures_util::future::join_all;
use liaison_tests::{assert_problem, count, error_fields, Member, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{
    batch, counts, events_by_external_id, parts, read_feed, site_events, sync, synced, world, World,
};

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
