//! `POST /v1/summits/{id}/passes`: staff issue a pass by hand, with a reason, within the quota.

use liaison_tests::{
    assert_code_shape, assert_problem, body, count, error_fields, id_of, manual_pass, my_passes,
    programme_quota, send_manual_pass, string_of, summit, without_delivery, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

/// Kim and Oli, and a summit with `acc` (1 place) and `aoc` (5 places):
/// `(staff, kim, oli, summit id)`.
async fn one_acc_place(app: &TestApp) -> (Member, Member, Member, String) {
    let staff = app.staff().await;
    let speaker = app.member("Kim Keynote").await;
    let other = app.member("Oli Other").await;
    let id = id_of(
        &summit(
            app,
            &staff,
            json!([{"program": "acc", "quota": 1}, {"program": "aoc", "quota": 5}]),
        )
        .await,
    );
    (staff, speaker, other, id)
}

#[tokio::test]
async fn only_staff_issue_manual_passes() {
    let app = TestApp::spawn().await;
    let (_, speaker, _, id) = one_acc_place(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    let request = json!({"member_id": speaker.id, "program": "acc", "reason": "Keynote speaker"});
    assert_problem(
        app.post(&path, None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post(&path, Some(&speaker.token), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn a_manual_pass_needs_a_reason_a_known_member_and_a_programme_of_the_summit() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, id) = one_acc_place(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    let reason = assert_problem(
        app.post(
            &path,
            Some(&staff.token),
            &json!({"member_id": speaker.id, "program": "acc", "reason": "  "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&reason), ["reason"]);
    let unknown = assert_problem(
        app.post(
            &path,
            Some(&staff.token),
            &json!({"member_id": Uuid::now_v7(), "program": "acc", "reason": "Keynote"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&unknown), ["member_id"]);
    let program = assert_problem(
        app.post(
            &path,
            Some(&staff.token),
            &json!({"member_id": speaker.id, "program": "nope", "reason": "Keynote"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&program), ["program"]);
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn a_manual_pass_at_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, _) = one_acc_place(&app).await;
    let request = json!({"member_id": speaker.id, "program": "acc", "reason": "Keynote speaker"});
    assert_problem(
        app.post(
            &format!("/v1/summits/{}/passes", Uuid::now_v7()),
            Some(&staff.token),
            &request,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn staff_issue_a_manual_pass_with_a_reason() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, id) = one_acc_place(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    let request = json!({"member_id": speaker.id, "program": "acc", "reason": "Keynote speaker"});
    let response = app.post(&path, Some(&staff.token), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let pass = body(response).await;
    assert_eq!(pass["member_id"], speaker.id.to_string());
    assert_eq!(pass["origin"], "manual");
    assert_eq!(pass["reason"], "Keynote speaker");
    assert_eq!(pass["status"], "issued");
    assert_code_shape(&string_of(&pass["code"]));
    let mine = my_passes(&app, &speaker).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(without_delivery(&mine[0]), without_delivery(&pass));
    assert_eq!(
        pass["delivery"]["status"], "pending",
        "its mail queued with it"
    );
    assert_eq!(app.audited(&staff, "pass", "pass.issued").await, 1);
}

#[tokio::test]
async fn a_member_with_a_pass_gets_no_second_one_by_hand_in_another_programme() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, id) = one_acc_place(&app).await;
    manual_pass(&app, &staff, &id, speaker.id).await;
    assert_problem(
        send_manual_pass(&app, &staff, &id, speaker.id, "aoc").await,
        409,
        "already_has_pass",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(programme_quota(&app, &id, "aoc").await["used"], 0);
}

#[tokio::test]
async fn a_manual_pass_beyond_the_quota_is_409_quota_exhausted() {
    let app = TestApp::spawn().await;
    let (staff, speaker, other, id) = one_acc_place(&app).await;
    manual_pass(&app, &staff, &id, speaker.id).await;
    // The acc quota of 1 is used.
    assert_problem(
        send_manual_pass(&app, &staff, &id, other.id, "acc").await,
        409,
        "quota_exhausted",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(programme_quota(&app, &id, "acc").await["remaining"], 0);
    assert_eq!(app.audited(&staff, "pass", "pass.issued").await, 1);
}
