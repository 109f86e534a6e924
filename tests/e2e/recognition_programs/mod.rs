//! Recognition programmes and their versioned, immutable rules.

mod create;
mod get;
mod list;
mod preview;
mod publish_rules;

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// A programme as anyone reads it.
async fn program(app: &TestApp, slug: &str) -> Value {
    let response = app
        .get(&format!("/v1/recognition-programs/{slug}"), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "read programme {slug}");
    body(response).await
}

/// The points and max_count of `kind` in a rules version.
fn weight(rules: &Value, kind: &str) -> (i64, i64) {
    rules["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["kind"] == kind)
        .map(|k| {
            (
                k["points"].as_i64().expect("points"),
                k["max_count"].as_i64().expect("max_count"),
            )
        })
        .unwrap_or_else(|| panic!("a kind {kind} in {rules}"))
}

/// Rules that differ from the seeded ones.
fn new_rules() -> Value {
    json!({"window_days": 730, "threshold_points": 12, "kinds": [
        {"kind": "event_organized", "points": 3, "max_count": 10},
        {"kind": "localization", "points": 1, "max_count": 8},
    ]})
}
