//! `PATCH /v1/applications/{id}`: the applicant edits a draft.

use liaison_tests::{answer, assert_problem, body, error_fields, etag, id_of, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use super::{read, setup};

/// `PATCH /v1/applications/{id}` with an optional `If-Match`.
async fn edit(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/applications/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

#[tokio::test]
async fn the_applicant_edits_a_draft_and_absent_fields_stay() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let current = etag(
        &app.get(&format!("/v1/applications/{id}"), Some(&ada.token))
            .await,
    );
    let ideas = answer(300);
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        Some(&current),
        &json!({"ideas": ideas, "links": ["https://example.org/new"]}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let edited = body(response).await;
    assert_eq!(edited["ideas"], ideas);
    assert_eq!(edited["links"], json!(["https://example.org/new"]));
    assert_eq!(edited["why_apply"], draft["why_apply"]);
    assert_eq!(edited["participation"], draft["participation"]);
    assert_eq!(edited["status"], "draft");
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&ada.token))
        .await;
    assert_eq!(etag(&response), returned_tag);
    assert_eq!(body(response).await, edited);
    assert_eq!(
        app.audited(&staff, "application", "application.edited")
            .await,
        1
    );
}

#[tokio::test]
async fn an_invalid_application_edit_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let links: Vec<String> = (0..11)
        .map(|i| format!("https://example.org/{i}"))
        .collect();
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        None,
        &json!({"why_apply": answer(49), "participation": answer(5001), "ideas": answer(60), "links": links}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["why_apply", "participation", "links"]
    );
    assert_eq!(read(&app, &ada, &id).await, draft);
}

#[tokio::test]
async fn editing_a_submitted_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        None,
        &json!({"ideas": answer(90)}),
    )
    .await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(read(&app, &ada, &id).await, submitted);
}

#[tokio::test]
async fn only_the_applicant_edits_an_application() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let changes = json!({"ideas": answer(90)});
    let bob = app.member("Bob").await;
    assert_problem(
        edit(&app, Some(&bob.token), &id, None, &changes).await,
        404,
        "not_found",
    )
    .await;
    // Staff see it, but it is not theirs to write.
    assert_problem(
        edit(&app, Some(&staff.token), &id, None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        edit(&app, None, &id, None, &changes).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(read(&app, &ada, &id).await, draft);
}

#[tokio::test]
async fn a_stale_if_match_on_an_application_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let stale = etag(
        &app.get(&format!("/v1/applications/{id}"), Some(&ada.token))
            .await,
    );
    let first = answer(70);
    let response = edit(&app, Some(&ada.token), &id, None, &json!({"ideas": first})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        Some(&stale),
        &json!({"ideas": answer(90), "why_apply": answer(90)}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    let now = read(&app, &ada, &id).await;
    assert_eq!(now["ideas"], first);
    assert_eq!(now["why_apply"], draft["why_apply"]);
}
