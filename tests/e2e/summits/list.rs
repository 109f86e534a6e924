//! `GET /v1/summits`.

use liaison_tests::{body, summit, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn anyone_lists_the_summits() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let created = summit(
        &app,
        &staff,
        json!([{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]),
    )
    .await;
    let listed = app.get("/v1/summits", None).await;
    assert_eq!(listed.status(), StatusCode::OK);
    let listed = body(listed).await;
    assert_eq!(listed["items"], json!([created]));
    assert_eq!(listed["next_cursor"], Value::Null);
}
