//! `GET /v1/translations/{id}`.

use liaison_tests::{assert_problem, body, etag, id_of, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn anyone_reads_a_translation_with_its_etag() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    let proposed = app.translation(&camille, &message, "fr").await;
    let path = format!("/v1/translations/{}", id_of(&proposed));
    let response = app.get(&path, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tag = etag(&response);
    assert_eq!(body(response).await, proposed);
    let again = app
        .call(Method::GET, &path, None)
        .header("If-None-Match", tag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_problem(
        app.get(&format!("/v1/translations/{}", uuid::Uuid::now_v7()), None)
            .await,
        404,
        "not_found",
    )
    .await;
}
