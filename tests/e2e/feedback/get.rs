//! `GET /v1/feedback/{id}`: members and `feedback:read` keys read an item.

use liaison_tests::{api_key, assert_problem, body, id_of, TestApp};
use reqwest::StatusCode;
use uuid::Uuid;

#[tokio::test]
async fn members_and_feedback_read_keys_read_an_item_others_do_not() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    let path = format!("/v1/feedback/{id}");
    let reader = api_key(&app, &["feedback:read"], &[]).await;
    let response = app.get(&path, Some(&reader)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key("etag"));
    assert_eq!(body(response).await["title"], "Live migration times out");
    let other = api_key(&app, &["passes:read"], &[]).await;
    assert_problem(app.get(&path, Some(&other)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    let unknown = format!("/v1/feedback/{}", Uuid::now_v7());
    assert_problem(app.get(&unknown, Some(&ada.token)).await, 404, "not_found").await;
}
