//! Bearer credentials: a bad, expired or foreign token is a 401, public reads included.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{encode, EncodingKey, Header};
use liaison_tests::{assert_problem, TestApp, JWT_SECRET};
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
async fn a_token_from_another_issuer_is_401() {
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let claims = json!({"sub": member.id, "iat": now, "exp": now + 60, "iss": "someone-else", "aud": "liaison-api", "jti": uuid::Uuid::now_v7()});
    let foreign = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("sign");
    assert_problem(
        app.get("/v1/me", Some(&foreign)).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn an_unsigned_token_with_alg_none_is_401() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let member = app.member("Ada").await;
    let valid = forge(member.id, JWT_SECRET, 60, "liaison-api");
    // The same claims, re-headed `alg: none` and stripped of the signature.
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = valid.split('.').nth(1).expect("a payload");
    for header in [json!({"alg": "none", "typ": "JWT"}), json!({"alg": "None"})] {
        let unsigned = format!("{}.{payload}.", engine.encode(header.to_string()));
        assert_problem(
            app.get("/v1/me", Some(&unsigned)).await,
            401,
            "unauthenticated",
        )
        .await;
    }
    // The signed original still works: only the forgery is refused.
    assert_eq!(
        app.get("/v1/me", Some(&valid)).await.status(),
        StatusCode::OK
    );
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
async fn a_bad_or_expired_token_is_401_even_on_public_reads() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    // `api.md`: malformed, expired or wrongly signed credentials are a 401,
    // as `GET /v1/members/{id}` already answers; a client must learn its
    // token is bad rather than silently read as anonymous.
    let member_path = format!("/v1/members/{}", staff.id);
    assert_problem(
        app.get(&member_path, Some("garbage")).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.get("/v1/regions", Some("garbage")).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.get("/v1/regions/europe", Some("garbage")).await,
        401,
        "unauthenticated",
    )
    .await;
}
