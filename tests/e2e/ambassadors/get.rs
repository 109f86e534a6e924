//! `GET /v1/ambassadors/{id}`.

use liaison_tests::{body, id_of, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn anyone_reads_an_ambassadorship_with_an_etag() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (_, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = app.get(&format!("/v1/ambassadors/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("etag").is_some());
    assert_eq!(body(response).await, ambassadorship);
}
