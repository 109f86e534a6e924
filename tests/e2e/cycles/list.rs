//! `GET /v1/ambassador-cycles`: newest first, page by page.

use liaison_tests::{assert_problem, body, id_of, page_ids, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn anyone_lists_cycles_newest_first_page_by_page() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let first = app.cycle(&staff, None, None).await;
    let second = app.cycle(&staff, None, None).await;
    let third = app.cycle(&staff, None, None).await;
    let member = app.member("Ada").await;
    let page = body(app.get("/v1/ambassador-cycles", Some(&member.token)).await).await;
    assert_eq!(
        page_ids(&page),
        [id_of(&third), id_of(&second), id_of(&first)]
    );
    let response = app.get("/v1/ambassador-cycles?limit=2", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    assert_eq!(page_ids(&page), [id_of(&third), id_of(&second)]);
    let cursor = page["next_cursor"].as_str().expect("a next cursor");
    let page = body(
        app.get(
            &format!("/v1/ambassador-cycles?limit=2&cursor={cursor}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(page_ids(&page), [id_of(&first)]);
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn a_garbage_cursor_on_the_cycle_list_is_400() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/ambassador-cycles?cursor=garbage", None).await,
        400,
        "malformed_request",
    )
    .await;
}
