//! Contributions claimed through the API, as a member would.

use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};

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
