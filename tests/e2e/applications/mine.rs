//! `GET /v1/me/applications`: the caller's own applications.

use liaison_tests::{assert_problem, body, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::setup;

#[tokio::test]
async fn my_applications_lists_only_the_callers_own_newest_first() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let second_cycle = id_of(&app.cycle(&staff, None, None).await);
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let ada_first = app.application(&ada, &cycle, "europe").await;
    let bob_only = app.submitted_application(&bob, &cycle, "europe").await;
    let ada_second = app
        .submitted_application(&ada, &second_cycle, "europe")
        .await;
    let response = app.get("/v1/me/applications", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    let items = page["items"].as_array().expect("items");
    let ids: Vec<String> = items.iter().map(id_of).collect();
    assert_eq!(ids, [id_of(&ada_second), id_of(&ada_first)]);
    assert_eq!(items[0]["status"], "submitted");
    assert_eq!(items[1]["status"], "draft");
    assert_eq!(page["next_cursor"], Value::Null);
    let page = body(app.get("/v1/me/applications", Some(&bob.token)).await).await;
    let ids: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(ids, [id_of(&bob_only)]);
    let cleo = app.member("Cleo").await;
    let page = body(app.get("/v1/me/applications", Some(&cleo.token)).await).await;
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn my_applications_need_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/me/applications", None).await,
        401,
        "unauthenticated",
    )
    .await;
}
