//! CORS: the configured origin only.

use liaison_tests::TestApp;
use reqwest::Method;

#[tokio::test]
async fn cors_preflight_allows_the_configured_origin() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::OPTIONS, "/v1/regions")
        .header("Origin", "https://frontend.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, idempotency-key",
        )
        .send()
        .await
        .expect("request");
    assert!(response.status().is_success());
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://frontend.example"
    );
}

#[tokio::test]
async fn answers_to_the_configured_origin_expose_the_etag_and_request_id() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/v1/regions")
        .header("Origin", "https://frontend.example")
        .send()
        .await
        .expect("request");
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .expect("header")
        .to_lowercase();
    assert!(
        exposed.contains("etag") && exposed.contains("x-request-id"),
        "{exposed}"
    );
}

#[tokio::test]
async fn another_origin_is_not_allowed() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/v1/regions")
        .header("Origin", "https://evil.example")
        .send()
        .await
        .expect("request");
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}
