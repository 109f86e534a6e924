//! `POST /v1/appeals/{id}/decision`: staff deny or grant; a grant issues a pass within the quota.

use liaison_tests::{
    appeals_of, assert_code_shape, assert_problem, body, count, error_fields, file_appeal, id_of,
    live_passes, manual_pass, my_passes, programme_quota, string_of, summit, TestApp,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{a_summit_to_appeal_at, filed};

/// Decides an appeal as `token`.
async fn decide(app: &TestApp, token: &str, appeal: &str, outcome: &str, reason: &str) -> Response {
    app.post(
        &format!("/v1/appeals/{appeal}/decision"),
        Some(token),
        &json!({"outcome": outcome, "reason": reason}),
    )
    .await
}

#[tokio::test]
async fn only_staff_decide_an_appeal() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let appeal_id = id_of(&filed(&app, &mia, &id).await);
    assert_problem(
        decide(&app, &mia.token, &appeal_id, "granted", "I deserve it").await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/v1/appeals/{appeal_id}/decision"),
            None,
            &json!({"outcome": "denied", "reason": "no"}),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(appeals_of(&app, &staff, &id).await[0]["status"], "open");
}

#[tokio::test]
async fn deciding_an_appeal_needs_a_reason() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let appeal_id = id_of(&filed(&app, &mia, &id).await);
    let no_reason = assert_problem(
        decide(&app, &staff.token, &appeal_id, "denied", "").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&no_reason), ["reason"]);
    assert_eq!(appeals_of(&app, &staff, &id).await[0]["status"], "open");
}

#[tokio::test]
async fn deciding_an_unknown_appeal_is_404() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    filed(&app, &mia, &id).await;
    assert_problem(
        decide(
            &app,
            &staff.token,
            &Uuid::now_v7().to_string(),
            "denied",
            "no",
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(appeals_of(&app, &staff, &id).await[0]["status"], "open");
}

#[tokio::test]
async fn staff_deny_an_appeal_once_and_it_issues_no_pass() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let appeal_id = id_of(&filed(&app, &mia, &id).await);
    let denied = decide(
        &app,
        &staff.token,
        &appeal_id,
        "denied",
        "No evidence of the meetups",
    )
    .await;
    assert_eq!(denied.status(), StatusCode::OK);
    let denied = body(denied).await;
    assert_eq!(denied["status"], "denied");
    assert_eq!(denied["reason"], "No evidence of the meetups");
    assert!(denied["decided_at"].is_string());
    assert_eq!(denied["pass_id"], Value::Null);
    assert_problem(
        decide(&app, &staff.token, &appeal_id, "granted", "changed my mind").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn a_new_appeal_after_a_decision_once_granted_issues_a_pass_in_the_same_transaction() {
    let app = TestApp::spawn().await;
    let (staff, mia, other, id) = a_summit_to_appeal_at(&app).await;
    let first = id_of(&filed(&app, &mia, &id).await);
    let denied = decide(
        &app,
        &staff.token,
        &first,
        "denied",
        "No evidence of the meetups",
    )
    .await;
    assert_eq!(denied.status(), StatusCode::OK);
    let again = id_of(&filed(&app, &mia, &id).await);
    let granted = decide(
        &app,
        &staff.token,
        &again,
        "granted",
        "Verified the luma events",
    )
    .await;
    assert_eq!(granted.status(), StatusCode::OK);
    let granted = body(granted).await;
    assert_eq!(granted["status"], "granted");
    let pass_id = string_of(&granted["pass_id"]);
    let mine = my_passes(&app, &mia).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["id"], pass_id.as_str());
    assert_eq!(mine[0]["origin"], "appeal");
    assert_eq!(mine[0]["program"], "acc");
    assert_code_shape(&string_of(&mine[0]["code"]));
    assert_eq!(programme_quota(&app, &id, "acc").await["used"], 1);
    assert_problem(
        decide(&app, &staff.token, &again, "denied", "oops").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(my_passes(&app, &other).await, Vec::<Value>::new());
    assert_eq!(app.audited(&staff, "appeal", "appeal.decided").await, 2);
}

#[tokio::test]
async fn a_grant_with_no_place_left_issues_nothing_and_leaves_the_appeal_open() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let mia = app.member("Mia Member").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 1}])).await);
    let held = manual_pass(&app, &staff, &id, holder.id).await;
    let filed = file_appeal(&app, &mia, &id, "acc").await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let appeal_id = id_of(&body(filed).await);
    assert_problem(
        decide(&app, &staff.token, &appeal_id, "granted", "Verified").await,
        409,
        "quota_exhausted",
    )
    .await;
    let listed = appeals_of(&app, &staff, &id).await;
    let mine = listed
        .iter()
        .find(|a| a["id"] == appeal_id.as_str())
        .expect("the appeal");
    assert_eq!(mine["status"], "open");
    assert_eq!(mine["pass_id"], Value::Null);
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(my_passes(&app, &mia).await, Vec::<Value>::new());

    // Revoking frees the place; the grant goes through.
    let revoked = app
        .post(
            &format!("/v1/passes/{}/revoke", id_of(&held)),
            Some(&staff.token),
            &json!({"reason": "cannot travel"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let granted = decide(&app, &staff.token, &appeal_id, "granted", "Verified").await;
    assert_eq!(granted.status(), StatusCode::OK);
    let granted = body(granted).await;
    assert_eq!(my_passes(&app, &mia).await[0]["id"], granted["pass_id"]);
    assert_eq!(programme_quota(&app, &id, "acc").await["remaining"], 0);
}

#[tokio::test]
async fn a_grant_to_a_member_who_holds_a_pass_is_409_and_leaves_the_appeal_open() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let mia = app.member("Mia Member").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 1}])).await);
    // Mia holds a pass from a granted appeal.
    let filed = file_appeal(&app, &mia, &id, "acc").await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let first = id_of(&body(filed).await);
    let granted = decide(&app, &staff.token, &first, "granted", "Verified").await;
    assert_eq!(granted.status(), StatusCode::OK);
    assert_eq!(programme_quota(&app, &id, "acc").await["remaining"], 0);
    // With places again, she is not granted a second one.
    let raised = app
        .send_json(
            Method::PATCH,
            &format!("/v1/summits/{id}"),
            Some(&staff.token),
            &json!({"programs": [{"program": "acc", "quota": 3}]}),
        )
        .await;
    assert_eq!(raised.status(), StatusCode::OK);
    let second = file_appeal(&app, &mia, &id, "acc").await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let second = id_of(&body(second).await);
    assert_problem(
        decide(&app, &staff.token, &second, "granted", "Verified").await,
        409,
        "already_has_pass",
    )
    .await;
    let listed = appeals_of(&app, &staff, &id).await;
    let open = listed
        .iter()
        .find(|a| a["id"] == second.as_str())
        .expect("the second appeal");
    assert_eq!(open["status"], "open");
    assert_eq!(live_passes(&app, &id, None).await, 1);
    assert_eq!(my_passes(&app, &mia).await.len(), 1);
}
