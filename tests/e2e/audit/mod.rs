//! The audit log: what every change records, and how staff read it.

mod entries;
mod list;

use liaison_tests::{body, region_request, Member, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::Value;

// Arranging and reading back, for the files of this folder.

/// The `X-Request-Id` of a response.
fn request_id(response: &Response) -> String {
    response.headers()["x-request-id"]
        .to_str()
        .expect("X-Request-Id")
        .to_owned()
}

/// Creates a region; answers the region and the request id of the request.
async fn create_region(app: &TestApp, who: &Member, slug: &str, country: &str) -> (Value, String) {
    let response = app
        .post(
            "/v1/regions",
            Some(&who.token),
            &region_request(slug, &[country]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {slug}");
    let id = request_id(&response);
    (body(response).await, id)
}

/// One page of the audit log as `who` reads it.
async fn audit_page(app: &TestApp, who: &Member, query: &str) -> Value {
    let response = app
        .get(&format!("/v1/audit-log?{query}"), Some(&who.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "audit log ?{query}");
    body(response).await
}

/// The entries of one page.
async fn entries(app: &TestApp, who: &Member, query: &str) -> Vec<Value> {
    audit_page(app, who, query).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect()
}
