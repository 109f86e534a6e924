//! `DELETE /v1/events/{id}`: a deleted event is gone and its deletion is in the feed.

use liaison_tests::{assert_problem, count, id_of};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::{create_event, kinds, manual_event, read_event, read_feed, world, World};

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
