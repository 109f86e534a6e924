//! Contributions claimed through the API, as a member would, and imported
//! in batches, as staff or an import script would.

use chrono::{Duration, NaiveDate, Utc};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{body, Member, TestApp};

/// Today, as the server sees it.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A valid claim of `kind` ten days ago.
pub fn claim_request(kind: &str) -> Value {
    json!({
        "kind": kind,
        "occurred_on": today() - Duration::days(10),
        "title": format!("A {kind} worth recognising"),
        "evidence_url": "https://example.org/evidence",
    })
}

/// A claim by `member` that must answer 201; returns it.
pub async fn claim(app: &TestApp, member: &Member, request: &Value) -> Value {
    let response = app
        .post("/v1/contributions", Some(&member.token), request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "claim {request}");
    body(response).await
}

/// A row of an import naming its member by `email`, ten days ago, with a
/// title that says which `external_id` it is.
pub fn import_row(external_id: &str, email: &str) -> Value {
    json!({
        "external_id": external_id,
        "email": email,
        "kind": "talk_given",
        "occurred_on": today() - Duration::days(10),
        "title": format!("Answered question {external_id}"),
        "evidence_url": format!("https://ask.example.org/a/{external_id}"),
    })
}

/// `POST /v1/contributions/import` of `request`, with `key` as its `Idempotency-Key`.
pub async fn send_import(
    app: &TestApp,
    token: Option<&str>,
    key: Option<&str>,
    request: &Value,
) -> Response {
    let mut builder = app.call(Method::POST, "/v1/contributions/import", token);
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    builder.json(request).send().await.expect("import request")
}

/// An import of `rows` from `source` that must answer 200, under a fresh key; returns the counts.
pub async fn import_batch(app: &TestApp, token: &str, source: &str, rows: &[Value]) -> Value {
    let request = json!({"source": source, "dry_run": false, "contributions": rows});
    let key = Uuid::new_v4().to_string();
    let response = send_import(app, Some(token), Some(&key), &request).await;
    assert_eq!(response.status(), StatusCode::OK, "import from {source}");
    body(response).await
}
