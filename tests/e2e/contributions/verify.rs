//! `POST /v1/contributions/{id}/verification`: verifying or rejecting, never one's own.

use liaison_tests::{
    assert_problem, body, claim, claim_request, count, error_fields, id_of, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{
    a_past_scheduled_event, ids, ids_of, linked_claim, listed, mine, organized, patched,
    set_country, verify,
};

/// Staff, Lea leading an approved group with Cory as co-organizer, and
/// Sid's pending talk linked to the group: `(staff, lea, cory, sid, claim id)`.
async fn a_linked_claim(app: &TestApp) -> (Member, Member, Member, Member, String) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let speaker = app.member("Sid Speaker").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    let claimed = claim(app, &speaker, &linked_claim("talk_given", &group, None)).await;
    (staff, lead, co, speaker, id_of(&claimed))
}

/// Staff, an ambassador of `europe` (FR), a group in FR, and a visitor from
/// JP with a claim linked to the group and one that is not:
/// `(ambassador, visitor, linked, unlinked)`.
async fn a_visitors_claims(app: &TestApp) -> (Member, Member, Value, Value) {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amy Ambassador", "europe").await;
    let lead = app.member("Lea Lead").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let visitor = app.member("Vic Visitor").await;
    set_country(app, &visitor, "JP").await;
    let linked = claim(app, &visitor, &linked_claim("talk_given", &group, None)).await;
    let unlinked = claim(app, &visitor, &claim_request("talk_given")).await;
    (ambassador, visitor, linked, unlinked)
}

#[tokio::test]
async fn an_organizer_of_the_linked_group_verifies_a_claim() {
    let app = TestApp::spawn().await;
    let (staff, _, co, speaker, id) = a_linked_claim(&app).await;
    let response = verify(
        &app,
        Some(&co.token),
        &id,
        "verified",
        Some("Saw the talk."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided = body(response).await;
    assert_eq!(decided["status"], "verified");
    assert_eq!(decided["note"], "Saw the talk.");
    assert!(decided["decided_at"].is_string());
    assert_eq!(decided["derived"], false);
    assert_eq!(
        app.audited(&staff, "contribution", "contribution.decided")
            .await,
        1
    );
    let read = mine(&app, &speaker).await;
    assert_eq!(read[0]["status"], "verified");
    assert_eq!(read[0]["note"], "Saw the talk.");
    assert_eq!(read[0]["decided_at"], decided["decided_at"]);
}

#[tokio::test]
async fn a_decided_claim_is_not_decided_again_whoever_asks() {
    let app = TestApp::spawn().await;
    let (staff, lead, co, speaker, id) = a_linked_claim(&app).await;
    let response = verify(
        &app,
        Some(&co.token),
        &id,
        "verified",
        Some("Saw the talk."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided = body(response).await;
    let audit = count(&app.db, "audit_log").await;
    for (token, decision, note) in [
        (&lead.token, "verified", None),
        (&co.token, "rejected", Some("Changed my mind")),
        (&staff.token, "rejected", Some("Not really")),
    ] {
        assert_problem(
            verify(&app, Some(token), &id, decision, note).await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(count(&app.db, "audit_log").await, audit);
    let read = mine(&app, &speaker).await;
    assert_eq!(read[0]["status"], "verified");
    assert_eq!(read[0]["note"], "Saw the talk.");
    assert_eq!(read[0]["decided_at"], decided["decided_at"]);
}

#[tokio::test]
async fn an_ambassador_of_the_members_region_verifies_a_claim() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amy Ambassador", "europe").await;
    let member = app.member("Fleur French").await;
    let claimed = claim(&app, &member, &claim_request("localization")).await;
    let response = verify(
        &app,
        Some(&ambassador.token),
        &id_of(&claimed),
        "verified",
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided = body(response).await;
    assert_eq!(decided["status"], "verified");
    assert_eq!(decided["note"], Value::Null);
    assert_eq!(
        listed(&app, &staff, "&status=verified").await.len(),
        1,
        "read back"
    );
    assert_eq!(
        app.audited(&staff, "contribution", "contribution.decided")
            .await,
        1
    );
}

#[tokio::test]
async fn an_ambassador_of_the_groups_region_verifies_a_claim() {
    let app = TestApp::spawn().await;
    let (ambassador, _, linked, _) = a_visitors_claims(&app).await;
    assert_eq!(
        ids(&listed(&app, &ambassador, "").await),
        ids_of(&[&linked])
    );
    let response = verify(
        &app,
        Some(&ambassador.token),
        &id_of(&linked),
        "rejected",
        Some("The talk was cancelled"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "rejected");
}

#[tokio::test]
async fn a_claim_outside_the_ambassadors_region_is_not_theirs_to_verify() {
    let app = TestApp::spawn().await;
    let (ambassador, visitor, _, unlinked) = a_visitors_claims(&app).await;
    assert_problem(
        verify(
            &app,
            Some(&ambassador.token),
            &id_of(&unlinked),
            "verified",
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let read = mine(&app, &visitor).await;
    let unlinked_read = read
        .iter()
        .find(|c| id_of(c) == id_of(&unlinked))
        .expect("the unlinked claim");
    assert_eq!(unlinked_read["status"], "pending");
}

#[tokio::test]
async fn staff_verify_a_claim_without_a_note() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let first = claim(&app, &member, &claim_request("documentation")).await;
    let response = verify(&app, Some(&staff.token), &id_of(&first), "verified", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "verified");
    assert_eq!(
        app.audited(&staff, "contribution", "contribution.decided")
            .await,
        1
    );
}

#[tokio::test]
async fn a_rejection_needs_a_note_and_a_note_is_at_most_2000_characters() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let second = claim(&app, &member, &claim_request("question_answered")).await;
    // Nothing is written without a valid note.
    let audit = count(&app.db, "audit_log").await;
    for note in [None, Some(""), Some("   ")] {
        let problem = assert_problem(
            verify(&app, Some(&staff.token), &id_of(&second), "rejected", note).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["note"]);
    }
    let problem = assert_problem(
        verify(
            &app,
            Some(&staff.token),
            &id_of(&second),
            "verified",
            Some(&"n".repeat(2001)),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["note"]);
    assert_eq!(count(&app.db, "audit_log").await, audit);
    let still = listed(&app, &staff, "&status=pending").await;
    assert_eq!(ids(&still), ids_of(&[&second]));
}

#[tokio::test]
async fn an_unknown_decision_on_a_claim_is_a_client_error() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let second = claim(&app, &member, &claim_request("question_answered")).await;
    // An unknown decision is not JSON the endpoint reads.
    let response = app
        .post(
            &format!("/v1/contributions/{}/verification", id_of(&second)),
            Some(&staff.token),
            &json!({"decision": "maybe"}),
        )
        .await;
    assert!(
        response.status().is_client_error(),
        "answered {}",
        response.status()
    );
}

#[tokio::test]
async fn staff_reject_a_claim_with_a_trimmed_note() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let second = claim(&app, &member, &claim_request("question_answered")).await;
    let response = verify(
        &app,
        Some(&staff.token),
        &id_of(&second),
        "rejected",
        Some("  No link to the answers  "),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let rejected = body(response).await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["note"], "No link to the answers");
    assert_eq!(
        app.audited(&staff, "contribution", "contribution.decided")
            .await,
        1
    );
}

#[tokio::test]
async fn nobody_verifies_their_own_contribution() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amy Ambassador", "europe").await;
    let lead = app.member("Lea Lead").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;

    let by_staff = claim(&app, &staff, &claim_request("working_group")).await;
    let by_lead = claim(&app, &lead, &linked_claim("talk_given", &group, None)).await;
    let by_ambassador = claim(&app, &ambassador, &claim_request("mentoring")).await;
    let mine_too = claim(&app, &lead, &claim_request("mentoring")).await;
    let audit = count(&app.db, "audit_log").await;
    for (who, claimed) in [
        (&staff, &by_staff),
        (&lead, &by_lead),
        (&ambassador, &by_ambassador),
        (&lead, &mine_too),
    ] {
        for (decision, note) in [("verified", None), ("rejected", Some("Mine after all"))] {
            assert_problem(
                verify(&app, Some(&who.token), &id_of(claimed), decision, note).await,
                403,
                "forbidden",
            )
            .await;
        }
    }
    assert_eq!(count(&app.db, "audit_log").await, audit);
    let pending = listed(&app, &staff, "&status=pending").await;
    assert_eq!(
        ids(&pending),
        ids_of(&[&by_staff, &by_lead, &by_ambassador, &mine_too])
    );

    // Someone else may: staff verify the organizer's and the ambassador's.
    let response = verify(&app, Some(&staff.token), &id_of(&by_lead), "verified", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = verify(
        &app,
        Some(&ambassador.token),
        &id_of(&by_staff),
        "verified",
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_claim_is_invisible_to_unrelated_members() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let other_lead = app.member("Oscar Other").await;
    let stranger = app.member("Stan Stranger").await;
    let member = app.member("Mia Member").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.approved_group(&staff, &other_lead, "paris-ops", "FR")
        .await;
    let claimed = claim(&app, &member, &linked_claim("talk_given", &group, None)).await;
    let id = id_of(&claimed);
    let audit = count(&app.db, "audit_log").await;
    for who in [&stranger, &other_lead] {
        assert_problem(
            verify(&app, Some(&who.token), &id, "verified", None).await,
            404,
            "not_found",
        )
        .await;
        assert!(listed(&app, who, "").await.is_empty());
    }
    assert_eq!(count(&app.db, "audit_log").await, audit);
    assert_eq!(mine(&app, &member).await[0]["status"], "pending");
}

#[tokio::test]
async fn verifying_an_unknown_or_malformed_claim_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let audit = count(&app.db, "audit_log").await;
    assert_problem(
        verify(
            &app,
            Some(&staff.token),
            "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e60",
            "verified",
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        verify(&app, Some(&staff.token), "not-a-uuid", "verified", None).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "audit_log").await, audit);
}

#[tokio::test]
async fn verifying_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia Member").await;
    let claimed = claim(&app, &member, &claim_request("talk_given")).await;
    let audit = count(&app.db, "audit_log").await;
    assert_problem(
        verify(&app, None, &id_of(&claimed), "verified", None).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "audit_log").await, audit);
    assert_eq!(mine(&app, &member).await[0]["status"], "pending");
}

#[tokio::test]
async fn a_derived_contribution_is_already_decided() {
    let app = TestApp::spawn().await;
    let (staff, lead, _, _, event) = a_past_scheduled_event(&app).await;
    patched(
        &app,
        &lead,
        &id_of(&event),
        &json!({"status": "held", "attendee_count": 80}),
    )
    .await;
    let derived = organized(&app, &lead).await;
    assert_problem(
        verify(
            &app,
            Some(&staff.token),
            &id_of(&derived[0]),
            "rejected",
            Some("no"),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
}
