//! The `seed-demo` command.

use liaison_tests::{body, TestApp};

#[tokio::test]
async fn seeding_the_demo_twice_loads_it_once() {
    let app = TestApp::spawn().await;
    let first = liaison_api::commands::seed_demo(&app.db, &app.settings)
        .await
        .expect("seed");
    assert_eq!(first, (5, 8));
    let second = liaison_api::commands::seed_demo(&app.db, &app.settings)
        .await
        .expect("seed again");
    assert_eq!(second, (0, 0));
    let regions = body(app.get("/v1/regions", None).await).await;
    assert_eq!(regions["items"].as_array().map(Vec::len), Some(5));
    let staff = app
        .sign_in_with(
            "staff@liaison.example",
            liaison_api::commands::DEMO_PASSWORD,
        )
        .await;
    let me = body(app.get("/v1/me", Some(&staff)).await).await;
    assert_eq!(me["roles"], serde_json::json!(["staff"]));
}
