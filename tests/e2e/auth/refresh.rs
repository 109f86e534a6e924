//! `POST /v1/auth/refresh`: rotation, reuse that revokes the family, concurrent refreshes.

use liaison_tests::{assert_problem, body, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn refreshing_rotates_the_refresh_token() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let response = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": member.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let pair = body(response).await;
    assert_ne!(pair["refresh_token"], member.refresh_token.as_str());
    assert_eq!(
        app.get("/v1/me", pair["access_token"].as_str())
            .await
            .status(),
        StatusCode::OK
    );
    let response = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": pair["refresh_token"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_its_whole_family() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let stolen = member.refresh_token.clone();
    let legit = body(
        app.post("/v1/auth/refresh", None, &json!({"refresh_token": stolen}))
            .await,
    )
    .await;
    // The thief replays the old token: refused, and the family dies.
    let response = app
        .post("/v1/auth/refresh", None, &json!({"refresh_token": stolen}))
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    // The victim's fresh token is revoked with it.
    let response = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": legit["refresh_token"]}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    // Another sign-in (another family) is untouched.
    let other = app.sign_in(member.id, &member.email).await;
    let response = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": other.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_succeed_once() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let request = json!({"refresh_token": member.refresh_token});
    let calls = (0..10).map(|_| app.post("/v1/auth/refresh", None, &request));
    let statuses: Vec<u16> = futures_util::future::join_all(calls)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        9,
        "{statuses:?}"
    );
}
