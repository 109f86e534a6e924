//! `POST /v1/auth/register`: a new member, a taken email, invalid fields.

use liaison_tests::{assert_problem, body, count, error_fields, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn registering_creates_a_member_who_can_sign_in() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/v1/auth/register",
            None,
            &json!({"email": "Ada@Example.org", "password": PASSWORD, "display_name": "Ada", "country": "gb"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let member = body(response).await;
    assert_eq!(member["email"], "ada@example.org");
    assert_eq!(member["country"], "GB");
    assert_eq!(
        location,
        format!("/v1/members/{}", member["id"].as_str().expect("id"))
    );
    let response = app
        .post(
            "/v1/auth/token",
            None,
            &json!({"email": "ADA@example.org", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let tokens = body(response).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let me = body(app.get("/v1/me", tokens["access_token"].as_str()).await).await;
    assert_eq!(me["id"], member["id"]);
}

#[tokio::test]
async fn a_taken_email_is_409_whatever_its_case() {
    let app = TestApp::spawn().await;
    let first = json!({"email": "ada@example.org", "password": PASSWORD, "display_name": "Ada"});
    assert_eq!(
        app.post("/v1/auth/register", None, &first).await.status(),
        StatusCode::CREATED
    );
    let again = json!({"email": "ADA@EXAMPLE.ORG", "password": PASSWORD, "display_name": "Other"});
    assert_problem(
        app.post("/v1/auth/register", None, &again).await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(count(&app.db, "members").await, 1);
}

#[tokio::test]
async fn invalid_registration_names_every_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/v1/auth/register",
            None,
            &json!({"email": "not-an-email", "password": "short", "display_name": "", "country": "XX"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["email", "password", "display_name", "country"]
    );
    assert_eq!(count(&app.db, "members").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, 0);
}
