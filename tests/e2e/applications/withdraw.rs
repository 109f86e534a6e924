//! `POST /v1/applications/{id}/withdraw`: the applicant withdraws, once.

use liaison_tests::{assert_problem, body, count, id_of, TestApp};
use reqwest::StatusCode;

use super::{act, only_the_applicant_may, read, setup};

#[tokio::test]
async fn the_applicant_withdraws_a_submitted_application_once() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let response = act(&app, Some(&ada.token), &id, "withdraw").await;
    assert_eq!(response.status(), StatusCode::OK);
    let withdrawn = body(response).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["submitted_at"], submitted["submitted_at"]);
    assert_eq!(read(&app, &ada, &id).await, withdrawn);
    for action in ["withdraw", "submit"] {
        assert_problem(
            act(&app, Some(&ada.token), &id, action).await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(
        app.audited(&staff, "application", "application.withdrawn")
            .await,
        1
    );
}

#[tokio::test]
async fn the_applicant_withdraws_a_draft() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let bob = app.member("Bob").await;
    let draft = app.application(&bob, &cycle, "europe").await;
    let response = act(&app, Some(&bob.token), &id_of(&draft), "withdraw").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "withdrawn");
    assert_eq!(
        app.audited(&staff, "application", "application.withdrawn")
            .await,
        1
    );
}

#[tokio::test]
async fn withdrawing_a_selected_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let selected = app.decide(&staff, &id, "selected").await;
    assert_problem(
        act(&app, Some(&ada.token), &id, "withdraw").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(read(&app, &ada, &id).await["status"], "selected");
    assert_eq!(read(&app, &staff, &id).await, selected);
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

#[tokio::test]
async fn only_the_applicant_withdraws() {
    only_the_applicant_may("withdraw").await;
}
