//! `GET /v1/me`: the own profile with its private fields and an `ETag`.

use liaison_tests::{api_key, assert_problem, body, etag, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn reading_ones_own_profile_shows_the_private_fields_and_an_etag() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = app.get("/v1/me", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tag = etag(&response);
    assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
    let profile = body(response).await;
    assert_eq!(profile["id"], ada.id.to_string());
    assert_eq!(profile["email"], ada.email.as_str());
    assert_eq!(profile["roles"], json!([]));
    assert_eq!(profile["display_name"], "Ada");
    assert_eq!(profile["country"], "FR");
    assert_eq!(profile["profile_public"], true);
    // Reading again without a change gives the same tag.
    assert_eq!(etag(&app.get("/v1/me", Some(&ada.token)).await), tag);
}

#[tokio::test]
async fn reading_ones_own_profile_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/me", None).await, 401, "unauthenticated").await;
    // An API key is known but is not a member: it may not have a profile.
    let key = api_key(&app, &["passes:read"], &[]).await;
    assert_problem(app.get("/v1/me", Some(&key)).await, 403, "forbidden").await;
}
