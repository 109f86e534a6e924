//! Answers: JSON bodies and problem documents.

use reqwest::Response;
use serde_json::Value;

/// The JSON body of a response.
pub async fn body(response: Response) -> Value {
    response.json().await.expect("JSON body")
}

/// Asserts a problem response: status, `code`, content type and request id; returns the body.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        content_type, "application/problem+json",
        "problem content type"
    );
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let problem = body(response).await;
    assert_eq!(problem["code"], code, "problem code in {problem}");
    assert_eq!(problem["status"], status, "problem status");
    assert_eq!(problem["type"], format!("urn:liaison:problem:{code}"));
    assert!(problem["title"].is_string() && problem["detail"].is_string());
    assert_eq!(
        problem["request_id"].as_str().map(str::to_owned),
        request_id,
        "request id in body and header"
    );
    problem
}

/// The `field`s named in a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
