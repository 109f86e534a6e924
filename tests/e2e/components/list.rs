//! `GET /v1/components`: anyone reads the components, by slug.

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn anyone_lists_the_seeded_components_by_slug() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/components", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    let slugs: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["slug"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        slugs,
        [
            "block-storage",
            "compute",
            "dashboard",
            "deployment",
            "documentation",
            "identity",
            "networking",
            "object-storage"
        ]
    );
    assert_eq!(page["next_cursor"], serde_json::Value::Null);
}
