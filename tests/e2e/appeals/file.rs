//! `POST /v1/summits/{id}/appeals`: a member files one open appeal at a time.

use liaison_tests::{assert_problem, count, error_fields, file_appeal, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{a_summit_to_appeal_at, filed};

#[tokio::test]
async fn filing_an_appeal_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let (_, _, _, id) = a_summit_to_appeal_at(&app).await;
    let request = json!({"program": "acc", "message": "My meetups were on luma, not on meetup."});
    assert_problem(
        app.post(&format!("/v1/summits/{id}/appeals"), None, &request)
            .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "appeals").await, 0);
}

#[tokio::test]
async fn an_appeal_needs_a_message_and_a_programme_of_the_summit() {
    let app = TestApp::spawn().await;
    let (_, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let path = format!("/v1/summits/{id}/appeals");
    let short = assert_problem(
        app.post(
            &path,
            Some(&mia.token),
            &json!({"program": "acc", "message": "pls"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&short), ["message"]);
    let unknown = assert_problem(
        app.post(
            &path,
            Some(&mia.token),
            &json!({"program": "aoc", "message": "My meetups were on luma."}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&unknown), ["program"]);
    assert_eq!(count(&app.db, "appeals").await, 0);
}

#[tokio::test]
async fn appealing_at_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let (_, mia, _, _) = a_summit_to_appeal_at(&app).await;
    let request = json!({"program": "acc", "message": "My meetups were on luma, not on meetup."});
    assert_problem(
        app.post(
            &format!("/v1/summits/{}/appeals", Uuid::now_v7()),
            Some(&mia.token),
            &request,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "appeals").await, 0);
}

#[tokio::test]
async fn a_member_has_one_open_appeal_at_a_time() {
    let app = TestApp::spawn().await;
    let (_, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let filed = filed(&app, &mia, &id).await;
    assert_eq!(filed["status"], "open");
    assert_eq!(filed["member_id"], mia.id.to_string());
    assert_eq!(filed["program"], "acc");
    assert_eq!(filed["pass_id"], Value::Null);
    assert_problem(
        file_appeal(&app, &mia, &id, "acc").await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(count(&app.db, "appeals").await, 1);
}
