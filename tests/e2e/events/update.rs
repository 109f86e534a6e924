//! `PATCH /v1/events/{id}`: organizers change an event, with `If-Match`.

use chrono::{DateTime, Duration, Utc};
use liaison_tests::{
    assert_problem, body, count, error_fields, id_of, patch_event, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{create_event, kinds, manual_event, read_event, read_feed, world, World};

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
