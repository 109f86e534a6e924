//! `POST /v1/applications/{id}/submit`: submitting a draft while the cycle is open.

use chrono::{Duration, Utc};
use liaison_tests::{assert_problem, at, body, id_of, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{act, only_the_applicant_may, read, setup};

#[tokio::test]
async fn submitting_a_draft_while_the_cycle_is_open_marks_it_submitted() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    // The affiliation counted is the one at submission.
    app.set_affiliation(&ada, "Acme Cloud").await;
    let before = Utc::now() - Duration::seconds(5);
    let response = act(&app, Some(&ada.token), &id, "submit").await;
    assert_eq!(response.status(), StatusCode::OK);
    let submitted = body(response).await;
    assert_eq!(submitted["status"], "submitted");
    let submitted_at = at(&submitted["submitted_at"]);
    assert!(
        before <= submitted_at && submitted_at <= Utc::now() + Duration::seconds(5),
        "{submitted_at}"
    );
    assert_eq!(submitted["affiliation"], "Acme Cloud");
    assert_eq!(read(&app, &ada, &id).await, submitted);
    assert_eq!(
        app.audited(&staff, "application", "application.submitted")
            .await,
        1
    );
}

#[tokio::test]
async fn submitting_twice_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    assert_problem(
        act(&app, Some(&ada.token), &id, "submit").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(read(&app, &ada, &id).await, submitted);
}

#[tokio::test]
async fn submitting_after_the_cycle_closes_is_409_cycle_closed() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let now = Utc::now();
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/ambassador-cycles/{cycle}"),
            Some(&staff.token),
            &json!({"opens_at": now - Duration::days(10), "closes_at": now - Duration::hours(1)}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["open"], false);
    assert_problem(
        act(&app, Some(&ada.token), &id, "submit").await,
        409,
        "cycle_closed",
    )
    .await;
    let now = read(&app, &ada, &id).await;
    assert_eq!(now["status"], "draft");
    assert_eq!(now["submitted_at"], Value::Null);
    assert_eq!(
        app.audited(&staff, "application", "application.submitted")
            .await,
        0
    );
}

#[tokio::test]
async fn only_the_applicant_submits() {
    only_the_applicant_may("submit").await;
}
