//! `/healthz` and `/readyz`.

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_ready_while_the_database_is_up() {
    let app = TestApp::spawn().await;
    let response = app.get("/readyz", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "ready");
}
