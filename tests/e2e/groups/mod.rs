//! User groups: registration, visibility, review, status and promotion, edits, health, lists.

mod attention;
mod get;
mod health;
mod list;
mod register;
mod review;
mod status;
mod update;

use liaison_tests::{body, Member, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// `GET /v1/groups/{id_or_slug}`.
async fn read(app: &TestApp, token: Option<&str>, id_or_slug: &str) -> Response {
    app.get(&format!("/v1/groups/{id_or_slug}"), token).await
}

/// A group as `token` reads it, asserting 200.
async fn read_ok(app: &TestApp, token: Option<&str>, id_or_slug: &str) -> Value {
    let response = read(app, token, id_or_slug).await;
    assert_eq!(response.status(), StatusCode::OK, "read {id_or_slug}");
    body(response).await
}

/// `POST /v1/groups/{id}/review`.
async fn review(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    decision: &str,
    reason: Option<&str>,
) -> Response {
    let mut request = json!({ "decision": decision });
    if let Some(reason) = reason {
        request["reason"] = json!(reason);
    }
    app.post(&format!("/v1/groups/{id}/review"), token, &request)
        .await
}

/// A group's health as `token` reads it, asserting 200.
async fn health(app: &TestApp, token: Option<&str>, id: &str) -> Value {
    let response = app.get(&format!("/v1/groups/{id}/health"), token).await;
    assert_eq!(response.status(), StatusCode::OK, "read health");
    body(response).await
}

/// The slugs of the `items` of a list (or of a bare array).
fn slugs_of(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .or_else(|| list.as_array())
        .expect("items")
        .iter()
        .map(|g| g["slug"].as_str().expect("slug").to_owned())
        .collect()
}

/// The slugs `GET /v1/groups{query}` lists for `token`, asserting 200.
async fn listed(app: &TestApp, token: Option<&str>, query: &str) -> Vec<String> {
    let response = app.get(&format!("/v1/groups{query}"), token).await;
    assert_eq!(response.status(), StatusCode::OK, "list {query}");
    slugs_of(&body(response).await)
}

/// The `flags` of a health document.
fn flags(health: &Value) -> Vec<String> {
    health["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| f.as_str().expect("flag").to_owned())
        .collect()
}

/// Staff, Ada's pending group in FR and Marie, an ambassador of `europe`:
/// `(staff, ada, marie, group)`.
async fn a_pending_group_and_its_ambassador(app: &TestApp) -> (Member, Member, Member, Value) {
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    (staff, ada, marie, group)
}

/// Marie rejects the group with a reason, asserting 200; returns it.
async fn reject_with_a_reason(app: &TestApp, marie: &Member, id: &str) -> Value {
    let response = review(
        app,
        Some(&marie.token),
        id,
        "reject",
        Some("Please join the Lyon group that already exists."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    body(response).await
}
