//! `GET /v1/regions/{slug}`.

use liaison_tests::{assert_problem, TestApp};

#[tokio::test]
async fn an_unknown_region_is_404() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/regions/nowhere", None).await, 404, "not_found").await;
}
