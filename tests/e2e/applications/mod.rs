//! Ambassador applications: apply, read, edit, submit, withdraw, review and decide.

mod apply;
mod decide;
mod edit;
mod get;
mod list;
mod mine;
mod review;
mod submit;
mod withdraw;

use liaison_tests::{assert_problem, body, id_of, Member, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// An application as `member` reads it, asserting 200.
async fn read(app: &TestApp, member: &Member, id: &str) -> Value {
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&member.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "read application {id}");
    body(response).await
}

/// `POST /v1/applications/{id}/{action}` (submit, withdraw).
async fn act(app: &TestApp, token: Option<&str>, id: &str, action: &str) -> Response {
    app.post(
        &format!("/v1/applications/{id}/{action}"),
        token,
        &json!({}),
    )
    .await
}

/// Staff, a `europe` region (FR, 3 seats) and an open cycle over it.
async fn setup(app: &TestApp) -> (Member, String) {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    (staff, id_of(&cycle))
}

/// Asserts that only the applicant may `action` a draft: another member gets
/// 404, staff 403, an anonymous caller 401, and the draft stays as it was.
async fn only_the_applicant_may(action: &str) {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let bob = app.member("Bob").await;
    assert_problem(
        act(&app, Some(&bob.token), &id, action).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        act(&app, Some(&staff.token), &id, action).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(act(&app, None, &id, action).await, 401, "unauthenticated").await;
    assert_eq!(read(&app, &ada, &id).await, draft);
}
