//! Regions: staff define them, anyone reads them; a country belongs to at most one region.

mod create;
mod get;
mod list;
mod update;

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

// Arranging and reading back, for the files of this folder.

/// Creates a region as `token`, asserting 201.
async fn create(app: &TestApp, token: &str, request: &Value) -> Value {
    let response = app.post("/v1/regions", Some(token), request).await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {request}");
    body(response).await
}

/// A region as anyone reads it.
async fn read(app: &TestApp, slug: &str) -> Value {
    let response = app.get(&format!("/v1/regions/{slug}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "read {slug}");
    body(response).await
}
