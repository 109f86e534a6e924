//! Ambassador cycles: staff open and change them, anyone reads them, staff read the proposal.

mod create;
mod get;
mod list;
mod proposal;
mod update;

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

// Arranging and reading back, for the files of this folder.

/// A cycle as anyone reads it.
async fn read(app: &TestApp, id: &str) -> Value {
    let response = app.get(&format!("/v1/ambassador-cycles/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "read cycle {id}");
    body(response).await
}
