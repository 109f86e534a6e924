//! `PUT /v1/groups/{id}/events/sync`: a bad batch is refused whole and writes nothing.

use liaison_tests::{assert_problem, count, error_fields};
use reqwest::Method;
use serde_json::{json, Value};

use super::{batch, counts, site_event, site_events, sync, synced, world, World};

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
