//! `POST /v1/passes/{id}/revoke`: staff revoke a pass with a reason, which frees its place.

use liaison_tests::{
    assert_problem, body, error_fields, id_of, issue_passes, issued_members, live_passes,
    manual_pass, my_passes, organizer, programme_quota, summit, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

/// A summit with two `acc` places, both taken: Gus's manual pass and Pia's
/// from a bulk issuance; Quinn is eligible next:
/// `(staff, gus, quinn, summit id, revoke path of Gus's pass)`.
async fn two_places_taken(app: &TestApp) -> (Member, Member, Member, String, String) {
    let staff = app.staff().await;
    let guest = app.member("Gus Guest").await;
    let p = organizer(app, "Pia Plenty", 100, 8).await;
    let q = organizer(app, "Quinn Quick", 200, 6).await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let guest_pass = manual_pass(app, &staff, &id, guest.id).await;
    let first = issue_passes(app, &staff.token, &id, "first", &json!({"program": "acc"})).await;
    assert_eq!(issued_members(&first), [p.id.to_string()]);
    assert_eq!(programme_quota(app, &id, "acc").await["remaining"], 0);
    let path = format!("/v1/passes/{}/revoke", id_of(&guest_pass));
    (staff, guest, q, id, path)
}

#[tokio::test]
async fn only_staff_revoke_passes() {
    let app = TestApp::spawn().await;
    let (_, guest, _, _, path) = two_places_taken(&app).await;
    let reason = json!({"reason": "cannot travel"});
    assert_problem(app.post(&path, None, &reason).await, 401, "unauthenticated").await;
    assert_problem(
        app.post(&path, Some(&guest.token), &reason).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(my_passes(&app, &guest).await[0]["status"], "issued");
}

#[tokio::test]
async fn revoking_a_pass_needs_a_reason() {
    let app = TestApp::spawn().await;
    let (staff, guest, _, _, path) = two_places_taken(&app).await;
    let missing = assert_problem(
        app.post(&path, Some(&staff.token), &json!({"reason": ""}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&missing), ["reason"]);
    assert_eq!(my_passes(&app, &guest).await[0]["status"], "issued");
}

#[tokio::test]
async fn revoking_an_unknown_pass_is_404() {
    let app = TestApp::spawn().await;
    let (staff, guest, _, _, _) = two_places_taken(&app).await;
    assert_problem(
        app.post(
            &format!("/v1/passes/{}/revoke", Uuid::now_v7()),
            Some(&staff.token),
            &json!({"reason": "cannot travel"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(my_passes(&app, &guest).await[0]["status"], "issued");
}

#[tokio::test]
async fn a_pass_is_revoked_once_and_its_place_goes_to_the_next_eligible_member() {
    let app = TestApp::spawn().await;
    let (staff, _, q, id, path) = two_places_taken(&app).await;
    let reason = json!({"reason": "cannot travel"});
    let response = app.post(&path, Some(&staff.token), &reason).await;
    assert_eq!(response.status(), StatusCode::OK);
    let revoked = body(response).await;
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["revoke_reason"], "cannot travel");
    assert!(revoked["revoked_at"].is_string());
    assert_problem(
        app.post(&path, Some(&staff.token), &reason).await,
        409,
        "invalid_transition",
    )
    .await;
    // The place is free again…
    assert_eq!(
        programme_quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 2, "used": 1, "remaining": 1})
    );
    // …and the next issuance gives it to the next eligible member.
    let next = issue_passes(&app, &staff.token, &id, "next", &json!({"program": "acc"})).await;
    assert_eq!(issued_members(&next), [q.id.to_string()]);
    assert_eq!(live_passes(&app, &id, None).await, 2);
    assert_eq!(app.audited(&staff, "pass", "pass.revoked").await, 1);
}
