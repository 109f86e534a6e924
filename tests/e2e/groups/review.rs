//! `POST /v1/groups/{id}/review`: the region's ambassadors or staff decide a pending group.

use liaison_tests::{
    assert_problem, body, change_group_status, count, error_fields, id_of, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{
    a_pending_group_and_its_ambassador, listed, read, read_ok, reject_with_a_reason, review,
};

#[tokio::test]
async fn an_ambassador_of_the_region_approves_a_pending_group_without_a_reason() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Act
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let approved = body(response).await;
    assert_eq!(approved["status"], "provisional");
    assert_eq!(approved["status_reason"], Value::Null);
    // Now public: anyone reads and lists it.
    assert_eq!(read_ok(&app, None, &id).await, approved);
    assert_eq!(listed(&app, None, "").await, ["lyon-operators"]);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 1);
    let entry = app
        .audit_entries(&staff, "group")
        .await
        .into_iter()
        .find(|e| e["action"] == "group.reviewed")
        .expect("a review entry");
    assert_eq!(entry["entity_id"], id);
    assert_eq!(entry["actor_id"], marie.id.to_string());
}

#[tokio::test]
async fn a_rejection_without_a_reason_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    let audit_before = count(&app.db, "audit_log").await;
    for reason in [None, Some(""), Some("   ")] {
        let response = review(&app, Some(&marie.token), &id, "reject", reason).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["reason"], "reason {reason:?}");
    }
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await,
        group,
        "still pending"
    );
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn a_rejected_group_is_hidden_from_the_public_but_not_from_its_organizer() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    let rejected = reject_with_a_reason(&app, &marie, &id).await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["status_reason"],
        "Please join the Lyon group that already exists."
    );
    assert_problem(read(&app, None, &id).await, 404, "not_found").await;
    assert_eq!(read_ok(&app, Some(&ada.token), &id).await, rejected);
}

#[tokio::test]
async fn a_rejected_group_is_not_reviewed_again() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    reject_with_a_reason(&app, &marie, &id).await;
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await["status"],
        "rejected"
    );
}

#[tokio::test]
async fn an_ambassador_of_another_region_gets_404_on_a_pending_group_and_403_on_a_public_one() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Pending: Kenji cannot even see it.
    let response = review(&app, Some(&kenji.token), &id, "approve", None).await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await["status"],
        "pending"
    );
    // Public: he sees it, but may not change it.
    app.approve(&marie, &id).await;
    let response = change_group_status(&app, Some(&kenji.token), &id, "inactive", "Dormant.").await;
    assert_problem(response, 403, "forbidden").await;
    let response = review(&app, Some(&kenji.token), &id, "reject", Some("No.")).await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, None, &id).await["status"], "provisional");
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        0
    );
}

#[tokio::test]
async fn an_ambassador_whose_term_ended_no_longer_sees_or_reviews_pending_groups() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (marie, ambassadorship) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    read_ok(&app, Some(&marie.token), &id).await;
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/ambassadors/{}", id_of(&ambassadorship)),
            Some(&staff.token),
            &json!({"status": "ended", "reason": "Stepped down."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_problem(read(&app, Some(&marie.token), &id).await, 404, "not_found").await;
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .get("/v1/regions/europe/groups/attention", Some(&marie.token))
        .await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, Some(&ada.token), &id).await, group);
}

#[tokio::test]
async fn nobody_reviews_a_group_they_organize() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    // Marie, an ambassador of europe, registers a group in her own region.
    let group = app.group(&marie, "paris-operators", "FR").await;
    let id = id_of(&group);
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, Some(&marie.token), &id).await, group);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 0);
}

#[tokio::test]
async fn reviewing_a_group_that_is_not_pending_is_409() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app
        .provisional_group(&marie, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    for decision in ["approve", "reject"] {
        let response = review(&app, Some(&marie.token), &id, decision, Some("Again.")).await;
        assert_problem(response, 409, "invalid_transition").await;
    }
    assert_eq!(read_ok(&app, None, &id).await, group);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 1);
}

#[tokio::test]
async fn members_and_anonymous_callers_do_not_review() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let pending = app.group(&ada, "lyon-operators", "FR").await;
    let pending_id = id_of(&pending);
    // Anonymous: 401.
    let response = review(&app, None, &pending_id, "approve", None).await;
    assert_problem(response, 401, "unauthenticated").await;
    // Another member: 404 on a pending group.
    let response = review(&app, Some(&eve.token), &pending_id, "approve", None).await;
    assert_problem(response, 404, "not_found").await;
    // Its own organizer: 403.
    let response = review(&app, Some(&ada.token), &pending_id, "approve", None).await;
    assert_problem(response, 403, "forbidden").await;
    // Nothing changed.
    assert_eq!(read_ok(&app, Some(&ada.token), &pending_id).await, pending);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 0);
}

#[tokio::test]
async fn staff_review_groups_even_in_a_country_of_no_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let brazil = app.group(&ada, "sao-paulo-ops", "BR").await;
    let france = app.group(&ada, "lyon-operators", "FR").await;
    let response = review(
        &app,
        Some(&staff.token),
        &id_of(&brazil),
        "approve",
        Some("Welcome!"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status_reason"], "Welcome!");
    let response = review(
        &app,
        Some(&staff.token),
        &id_of(&france),
        "reject",
        Some("Duplicate of an existing group."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        read_ok(&app, None, "sao-paulo-ops").await["status"],
        "provisional"
    );
    assert_eq!(
        read_ok(&app, Some(&staff.token), "lyon-operators").await["status"],
        "rejected"
    );
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 2);
}
