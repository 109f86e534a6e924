//! Members: the own profile (`/v1/me`), other profiles, roles and the volunteer search.

mod erase;
mod export;
mod get;
mod me;
mod password;
mod roles;
mod search;
mod update_me;

use liaison_tests::{body, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

// Arranging and reading back, for the files of this folder.

/// `PATCH /v1/me` with an optional `If-Match`.
async fn patch_me(app: &TestApp, who: &Member, if_match: Option<&str>, patch: &Value) -> Response {
    let mut request = app.call(Method::PATCH, "/v1/me", Some(&who.token));
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(patch).send().await.expect("request")
}

/// The caller's own profile as `GET /v1/me` returns it.
async fn me(app: &TestApp, who: &Member) -> Value {
    let response = app.get("/v1/me", Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "GET /v1/me");
    body(response).await
}
