//! `POST, DELETE /v1/me/calendar-token`.

use liaison_tests::{assert_problem, body, count, scalar};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{world, World};

#[tokio::test]
async fn a_calendar_token_is_shown_once_and_stored_hashed() {
    let World { app, organizer, .. } = world().await;
    let response = app
        .post("/v1/me/calendar-token", Some(&organizer.token), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = body(response).await;
    let token = created["token"].as_str().expect("token").to_owned();
    assert!(token.starts_with("cal_") && token.len() == 44, "{token}");
    assert_eq!(
        created["feed"],
        format!("/v1/me/calendar.ics?token={token}")
    );
    assert_eq!(count(&app.db, "calendar_tokens").await, 1);
    let plain = scalar(
        &app.db,
        &format!(
            "SELECT count(*)::bigint AS n FROM calendar_tokens WHERE token_hash = convert_to('{token}', 'UTF8')"
        ),
    )
    .await;
    assert_eq!(plain, 0, "the token itself is not stored");
}

#[tokio::test]
async fn creating_or_revoking_a_calendar_token_needs_a_member() {
    let World { app, .. } = world().await;
    assert_problem(
        app.post("/v1/me/calendar-token", None, &json!({})).await,
        401,
        "unauthenticated",
    )
    .await;
    let revoke = app
        .call(Method::DELETE, "/v1/me/calendar-token", None)
        .send()
        .await
        .expect("revoke");
    assert_problem(revoke, 401, "unauthenticated").await;
    assert_eq!(count(&app.db, "calendar_tokens").await, 0);
}
