//! `GET /v1/messages`: anyone lists messages, by region and activity.

use liaison_tests::{body, exec, id_of, page_ids, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn anyone_lists_messages_newest_first_by_region_and_activity() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let all = id_of(&app.message(&staff, json!("all")).await);
    let europe = id_of(&app.message(&staff, json!(["europe"])).await);
    let asia = id_of(&app.message(&staff, json!(["asia"])).await);
    exec(
        &app.db,
        &format!("UPDATE messages SET expires_at = now() - interval '1 day' WHERE id = '{asia}'"),
    )
    .await;
    let ids = |path: String| {
        let app = &app;
        async move {
            let response = app.get(&path, None).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            page_ids(&body(response).await)
        }
    };
    assert_eq!(
        ids("/v1/messages".into()).await,
        [asia.as_str(), europe.as_str(), all.as_str()]
    );
    assert_eq!(
        ids("/v1/messages?region=europe".into()).await,
        [europe.as_str(), all.as_str()]
    );
    assert_eq!(
        ids("/v1/messages?region=asia".into()).await,
        [asia.as_str(), all.as_str()]
    );
    assert_eq!(
        ids("/v1/messages?active=true".into()).await,
        [europe.as_str(), all.as_str()]
    );
    assert_eq!(
        ids("/v1/messages?active=false".into()).await,
        [asia.as_str()]
    );
    let first = body(app.get("/v1/messages?limit=2", None).await).await;
    assert_eq!(page_ids(&first), [asia.as_str(), europe.as_str()]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = body(
        app.get(&format!("/v1/messages?limit=2&cursor={cursor}"), None)
            .await,
    )
    .await;
    assert_eq!(page_ids(&second), [all.as_str()]);
    assert_eq!(second["next_cursor"], json!(null));
    let expired = body(app.get("/v1/messages?active=false", None).await).await;
    assert_eq!(expired["items"][0]["active"], false);
}

#[tokio::test]
async fn a_bad_filter_or_cursor_is_a_400() {
    let app = TestApp::spawn().await;
    for path in [
        "/v1/messages?active=maybe",
        "/v1/messages?cursor=nope",
        "/v1/messages?limit=0",
    ] {
        assert_eq!(
            app.get(path, None).await.status(),
            StatusCode::BAD_REQUEST,
            "{path}"
        );
    }
}
