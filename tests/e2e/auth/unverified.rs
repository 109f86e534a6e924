//! Until a member verifies their email they cannot verify others' claims,
//! triage, review, or be issued a pass; the eligibility explanation says so.

use liaison_tests::{
    assert_problem, body, claim, claim_request, exec, explanation, id_of, issue_passes, organizer,
    scalar, send_manual_pass, summit, Member, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Marks `member`'s email unverified, as if they had just registered.
async fn unverify(app: &TestApp, member: &Member) {
    exec(
        &app.db,
        &format!(
            "UPDATE members SET email_verified_at = NULL WHERE id = '{}'",
            member.id
        ),
    )
    .await;
}

/// Verifies `member`'s email through the mailed token.
async fn verify(app: &TestApp, member: &Member) {
    let response = app
        .post(
            "/v1/auth/verify-email/resend",
            Some(&member.token),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let token = app
        .wait_for_token(&member.email, "account.verify_email", 2)
        .await;
    let response = app
        .post("/v1/auth/verify-email", None, &json!({"token": token}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unverified_staff_member_verifies_no_claim_and_triages_nothing_until_verified() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    unverify(&app, &staff).await;
    let member = app.member("Mia Member").await;
    let claimed = claim(&app, &member, &claim_request("documentation")).await;
    let path = format!("/v1/contributions/{}/verification", id_of(&claimed));
    let decision = json!({"decision": "verified"});
    let problem = assert_problem(
        app.post(&path, Some(&staff.token), &decision).await,
        403,
        "email_unverified",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("verify your email")));
    let item = app
        .feedback(&member, "Upgrades lose the network config")
        .await;
    let triage = app
        .triage(&staff, &id_of(&item), json!({"status": "triaged"}))
        .await;
    assert_problem(triage, 403, "email_unverified").await;
    // Nothing was decided.
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM contributions WHERE status = 'pending'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM feedback WHERE status = 'new'"
        )
        .await,
        1
    );
    verify(&app, &staff).await;
    assert_eq!(
        app.post(&path, Some(&staff.token), &decision)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unverified_member_with_the_points_is_issued_no_pass_and_is_told_why() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let mia = organizer(&app, "Mia Organizer", 10, 6).await;
    unverify(&app, &mia).await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let mine = explanation(&app, &mia.token, &id, "me", "acc").await;
    assert_eq!(mine["points"], 12);
    assert_eq!(mine["eligible"], false);
    assert_eq!(mine["email_verified"], false);
    assert!(mine["blocked_by"][0]
        .as_str()
        .is_some_and(|b| b.contains("not verified")));
    // By hand: refused, saying why; in bulk: skipped.
    let manual = send_manual_pass(&app, &staff, &id, mia.id, "acc").await;
    assert_problem(manual, 409, "email_unverified").await;
    let bulk = issue_passes(
        &app,
        &staff.token,
        &id,
        "bulk-unverified",
        &json!({"program": "acc"}),
    )
    .await;
    assert_eq!(bulk["issued_count"], 0);
    assert_eq!(scalar(&app.db, "SELECT count(*) AS n FROM passes").await, 0);
    verify(&app, &mia).await;
    let mine = explanation(&app, &mia.token, &id, "me", "acc").await;
    assert_eq!(
        (mine["eligible"].clone(), mine["blocked_by"].clone()),
        (json!(true), json!([]))
    );
    let bulk = issue_passes(
        &app,
        &staff.token,
        &id,
        "bulk-verified",
        &json!({"program": "acc"}),
    )
    .await;
    assert_eq!(bulk["issued_count"], 1);
}

#[tokio::test]
async fn an_unverified_reviewer_reviews_no_group() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let response = app
        .post(
            "/v1/groups",
            Some(&lead.token),
            &liaison_tests::group_request("lyon-ops", "FR"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let group = id_of(&body(response).await);
    unverify(&app, &staff).await;
    let review = app
        .send_json(
            Method::POST,
            &format!("/v1/groups/{group}/review"),
            Some(&staff.token),
            &json!({"decision": "approve", "reason": "Welcome!"}),
        )
        .await;
    assert_problem(review, 403, "email_unverified").await;
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM groups WHERE status = 'pending'"
        )
        .await,
        1
    );
}
