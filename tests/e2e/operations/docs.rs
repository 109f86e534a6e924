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

#[tokio::test]
async fn the_docs_page_lists_every_operation_in_a_real_browser_with_the_network_blocked() {
    let app = TestApp::spawn().await;
    let document: serde_json::Value = app
        .get("/v1/openapi.json", None)
        .await
        .json()
        .await
        .expect("the document");
    let operations: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flat_map(|methods| methods.keys())
                .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
                .map(move |_| path.clone())
        })
        .collect();
    let url = format!("{}/docs/", app.address);
    // Debian's chromium, headless; every host but 127.0.0.1 fails to
    // resolve, so the page works with what the binary serves or not at all.
    let dom = tokio::task::spawn_blocking(move || {
        std::process::Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--virtual-time-budget=15000",
                "--dump-dom",
            ])
            .arg(&url)
            .output()
            .expect("chromium (Debian's `chromium`, installed by .ci/run)")
    })
    .await
    .expect("join");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let rendered = dom.matches("class=\"opblock opblock-").count();
    assert_eq!(rendered, operations.len(), "one block per operation");
    for path in [
        "/v1/auth/register",
        "/v1/summits/{id}/passes/issue",
        "/v1/me/export",
    ] {
        assert!(
            dom.contains(&format!("data-path=\"{path}\"")),
            "{path} is listed"
        );
    }
}
