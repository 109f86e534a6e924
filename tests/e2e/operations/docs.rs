//! `/docs`: the interactive documentation, served from the binary.

use liaison_tests::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn docs_without_the_trailing_slash_redirect_to_it() {
    let app = TestApp::spawn().await;
    let response = app.get("/docs", None).await;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(response.headers()["location"], "/docs/");
}

#[tokio::test]
async fn the_interactive_docs_are_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let response = app.get("/docs/", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    let response = app.get("/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "vendored assets, no network"
    );
}
