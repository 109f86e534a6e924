//! `GET /v1/events/{id}`: who sees an event.

use liaison_tests::{assert_problem, patch_event, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{a_pending_groups_event, kinds, read_feed};

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
