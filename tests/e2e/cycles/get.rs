//! `GET /v1/ambassador-cycles/{id}`.

use liaison_tests::{assert_problem, TestApp};

#[tokio::test]
async fn an_unknown_cycle_is_404() {
    let app = TestApp::spawn().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        app.get(&format!("/v1/ambassador-cycles/{unknown}"), None)
            .await,
        404,
        "not_found",
    )
    .await;
}
