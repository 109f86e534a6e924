//! Register, sign in, refresh with rotation and reuse detection, sign out,
//! access-token checks, and the rate limit on `/v1/auth/*`.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{encode, EncodingKey, Header};
use liaison_tests::{assert_problem, body, count, error_fields, TestApp, JWT_SECRET, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

fn forge(sub: uuid::Uuid, secret: &str, exp_offset: i64, aud: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let claims = json!({"sub": sub, "iat": now, "exp": now + exp_offset, "iss": "liaison", "aud": aud, "jti": uuid::Uuid::now_v7()});
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

#[tokio::test]
async fn registering_creates_a_member_who_can_sign_in() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/v1/auth/register",
            None,
            &json!({"email": "Ada@Example.org", "password": PASSWORD, "display_name": "Ada", "country": "gb"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let member = body(response).await;
    assert_eq!(member["email"], "ada@example.org");
    assert_eq!(member["country"], "GB");
    assert_eq!(
        location,
        format!("/v1/members/{}", member["id"].as_str().expect("id"))
    );
    let response = app
        .post(
            "/v1/auth/token",
            None,
            &json!({"email": "ADA@example.org", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let tokens = body(response).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let me = body(app.get("/v1/me", tokens["access_token"].as_str()).await).await;
    assert_eq!(me["id"], member["id"]);
}

#[tokio::test]
async fn a_taken_email_is_409_whatever_its_case() {
    let app = TestApp::spawn().await;
    let first = json!({"email": "ada@example.org", "password": PASSWORD, "display_name": "Ada"});
    assert_eq!(
        app.post("/v1/auth/register", None, &first).await.status(),
        StatusCode::CREATED
    );
    let again = json!({"email": "ADA@EXAMPLE.ORG", "password": PASSWORD, "display_name": "Other"});
    assert_problem(
        app.post("/v1/auth/register", None, &again).await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(count(&app.db, "members").await, 1);
}

#[tokio::test]
async fn invalid_registration_names_every_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/v1/auth/register",
            None,
            &json!({"email": "not-an-email", "password": "short", "display_name": "", "country": "XX"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["email", "password", "display_name", "country"]
    );
    assert_eq!(count(&app.db, "members").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, 0);
}

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
async fn a_token_signed_with_the_secret_for_this_audience_is_accepted() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    assert_eq!(
        app.get(
            "/v1/me",
            Some(&forge(member.id, JWT_SECRET, 60, "liaison-api"))
        )
        .await
        .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_expired_token_is_401_saying_it_expired() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let expired = forge(member.id, JWT_SECRET, -1, "liaison-api");
    let problem = assert_problem(
        app.get("/v1/me", Some(&expired)).await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("expired")));
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_401_naming_the_signature() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let wrong_key = forge(
        member.id,
        "another-secret-another-secret-another",
        60,
        "liaison-api",
    );
    let problem = assert_problem(
        app.get("/v1/me", Some(&wrong_key)).await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("signature")));
}

#[tokio::test]
async fn a_token_for_another_audience_is_401() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let wrong_audience = forge(member.id, JWT_SECRET, 60, "someone-else");
    assert_problem(
        app.get("/v1/me", Some(&wrong_audience)).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_token_that_is_not_a_jwt_is_401() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/me", Some("garbage")).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn basic_credentials_are_401() {
    let app = TestApp::spawn().await;
    let response = app
        .request(reqwest::Method::GET, "/v1/me")
        .header("Authorization", "Basic YWRhOnB3")
        .send()
        .await
        .expect("request");
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn no_credentials_on_a_members_route_are_401() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/me", None).await, 401, "unauthenticated").await;
}

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
