//! `POST /v1/components`: staff add components.

use liaison_tests::{assert_problem, body, count, error_fields, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn staff_add_a_component_that_anyone_then_lists() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let request =
        json!({"slug": "bare-metal", "name": "Bare metal", "description": "Physical servers"});
    let response = app
        .post("/v1/components", Some(&staff.token), &request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(body(response).await, request);
    assert_eq!(count(&app.db, "components").await, 9);
    let again = app
        .post("/v1/components", Some(&staff.token), &request)
        .await;
    assert_problem(again, 409, "already_exists").await;
    assert_eq!(count(&app.db, "components").await, 9);
}

#[tokio::test]
async fn only_staff_add_components_and_bad_ones_write_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia").await;
    let good = json!({"slug": "bare-metal", "name": "Bare metal"});
    assert_problem(
        app.post("/v1/components", None, &good).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post("/v1/components", Some(&member.token), &good).await,
        403,
        "forbidden",
    )
    .await;
    let bad = json!({"slug": "Bare Metal", "name": "B", "description": "x".repeat(1001)});
    let problem = assert_problem(
        app.post("/v1/components", Some(&staff.token), &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["slug", "name", "description"]);
    assert_eq!(count(&app.db, "components").await, 8);
}
