//! `POST /v1/auth/token`: signing in, wrong credentials, and the rate limit on `/v1/auth/*`.

use liaison_tests::{assert_problem, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_wrong_password_is_401() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let response = app
        .post(
            "/v1/auth/token",
            None,
            &json!({"email": member.email, "password": "wrong password!"}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn an_unknown_email_is_401_with_a_bearer_challenge() {
    let app = TestApp::spawn().await;
    app.member("Ada").await;
    let response = app
        .post(
            "/v1/auth/token",
            None,
            &json!({"email": "nobody@example.org", "password": PASSWORD}),
        )
        .await;
    let www = response.headers()["www-authenticate"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(www.starts_with("Bearer"));
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn the_auth_endpoints_are_rate_limited_with_headers() {
    // An hour-long window, so that no window boundary falls inside the test.
    let app = TestApp::spawn_with(|s| {
        s.auth_rate_limit = 3;
        s.rate_limit_window_secs = 3600;
    })
    .await;
    let attempt = json!({"email": "nobody@example.org", "password": "whatever-password"});
    let response = app.post("/v1/auth/token", None, &attempt).await;
    assert_eq!(response.headers()["ratelimit-limit"], "3");
    assert_eq!(response.headers()["ratelimit-remaining"], "2");
    app.post("/v1/auth/token", None, &attempt).await;
    app.post("/v1/auth/token", None, &attempt).await;
    let response = app.post("/v1/auth/token", None, &attempt).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=3600).contains(&retry_after));
    assert_eq!(response.headers()["ratelimit-remaining"], "0");
    assert_problem(response, 429, "rate_limited").await;
    // Other routes are not limited.
    assert_eq!(app.get("/v1/regions", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn concurrent_attempts_never_exceed_the_rate_limit() {
    let app = TestApp::spawn_with(|s| {
        s.auth_rate_limit = 5;
        s.rate_limit_window_secs = 3600;
    })
    .await;
    let attempt = json!({"email": "nobody@example.org", "password": "whatever-password"});
    let calls = (0..20).map(|_| app.post("/v1/auth/token", None, &attempt));
    let statuses: Vec<u16> = futures_util::future::join_all(calls)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        15,
        "{statuses:?}"
    );
}
