//! `POST /v1/groups/{id}/events`: organizers create events.

use chrono::Duration;
use liaison_tests::{assert_problem, body, count, error_fields, id_of};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    create_event, kinds, manual_event, now, parts, pending_group, post_event, read_event,
    read_feed, world, World,
};

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
async fn the_organizer_of_a_pending_group_creates_events_and_staff_do_not() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let request = manual_event("Meetup", 10);
    let pending = pending_group(&app, &organizer, "pending-group").await;
    // A group's events are its organizers' (api.md): staff moderate the
    // group through review and status, they do not write its events.
    assert_problem(
        post_event(&app, Some(&staff.token), &group, &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 0);
    create_event(&app, &organizer, &pending, &request).await;
    assert_eq!(count(&app.db, "events").await, 1);
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
