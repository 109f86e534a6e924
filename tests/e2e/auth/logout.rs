//! `POST /v1/auth/logout`: revoking a refresh token, never another member's.

use liaison_tests::{assert_problem, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn logging_out_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let body_json = json!({"refresh_token": member.refresh_token});
    assert_problem(
        app.post("/v1/auth/logout", None, &body_json).await,
        401,
        "unauthenticated",
    )
    .await;
    // The refresh token still works.
    let response = app.post("/v1/auth/refresh", None, &body_json).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn logging_out_revokes_the_refresh_token() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let body_json = json!({"refresh_token": member.refresh_token});
    let response = app
        .post("/v1/auth/logout", Some(&member.token), &body_json)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.post("/v1/auth/refresh", None, &body_json).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn logout_leaves_another_members_token_alone() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let response = app
        .post(
            "/v1/auth/logout",
            Some(&ada.token),
            &json!({"refresh_token": bob.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": bob.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}
