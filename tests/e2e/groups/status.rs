//! `POST /v1/groups/{id}/status`: status changes and promotion to official.

use liaison_tests::{
    assert_problem, body, change_group_status, count, current_period, error_fields, group_request,
    id_of, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{a_pending_group_and_its_ambassador, health, listed, read_ok, reject_with_a_reason};

/// The `(field, code)` pairs of a problem's `errors`.
fn error_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().expect("field").to_owned(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

/// The message of the error on `field`.
fn message_of(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("an error on {field} in {problem}"))
        .to_owned()
}

#[tokio::test]
async fn a_rejected_group_changes_to_no_other_status() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    reject_with_a_reason(&app, &marie, &id).await;
    for status in ["provisional", "official", "inactive"] {
        let response =
            change_group_status(&app, Some(&marie.token), &id, status, "Second thoughts.").await;
        assert_problem(response, 409, "invalid_transition").await;
    }
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await["status"],
        "rejected"
    );
}

#[tokio::test]
async fn nobody_changes_the_status_of_a_group_they_organize() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&marie, "paris-operators", "FR").await;
    let id = id_of(&group);
    // Not even once another reviewer approved it.
    app.approve(&staff, &id).await;
    let response = change_group_status(&app, Some(&marie.token), &id, "inactive", "Pausing.").await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, None, &id).await["status"], "provisional");
}

#[tokio::test]
async fn members_and_anonymous_callers_do_not_change_a_groups_status() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let public = app
        .provisional_group(&staff, &ada, "paris-operators", "FR")
        .await;
    let public_id = id_of(&public);
    // Anonymous: 401.
    let response = change_group_status(&app, None, &public_id, "inactive", "Dormant.").await;
    assert_problem(response, 401, "unauthenticated").await;
    // Another member: 403 on a public group.
    let response =
        change_group_status(&app, Some(&eve.token), &public_id, "inactive", "Dormant.").await;
    assert_problem(response, 403, "forbidden").await;
    // Its own organizer: 403.
    let response =
        change_group_status(&app, Some(&ada.token), &public_id, "inactive", "Dormant.").await;
    assert_problem(response, 403, "forbidden").await;
    // Nothing changed.
    assert_eq!(read_ok(&app, None, &public_id).await, public);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 1);
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        0
    );
}

#[tokio::test]
async fn a_refused_promotion_lists_every_unmet_criterion_with_its_measured_value() {
    // Arrange: one organizer, two held events, code of conduct not accepted.
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let mut request = group_request("lyon-operators", "FR");
    request["coc_accepted"] = json!(false);
    let response = app.post("/v1/groups", Some(&ada.token), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = id_of(&body(response).await);
    let group = app.approve(&marie, &id).await;
    app.held_event(&ada, &id, 10).await;
    app.held_event(&ada, &id, 40).await;
    let audit_before = count(&app.db, "audit_log").await;
    // Act
    let response =
        change_group_status(&app, Some(&marie.token), &id, "official", "Doing great.").await;
    // Assert
    let problem = assert_problem(response, 409, "promotion_criteria_unmet").await;
    assert_eq!(
        error_codes(&problem),
        [
            ("organizers".to_owned(), "too_few_organizers".to_owned()),
            ("events".to_owned(), "too_few_held_events".to_owned()),
            (
                "coc_accepted".to_owned(),
                "code_of_conduct_not_accepted".to_owned()
            ),
        ]
    );
    assert!(
        message_of(&problem, "organizers").starts_with("1 organizer(s)"),
        "{problem}"
    );
    assert!(
        message_of(&problem, "events").starts_with("2 event(s)"),
        "{problem}"
    );
    assert_eq!(read_ok(&app, None, &id).await, group, "still provisional");
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn a_group_that_meets_the_criteria_is_promoted_to_official() {
    // Arrange: a co-organizer, three held events within the year (one marked
    // held afterwards with PATCH), the code of conduct accepted.
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let (marie, marie_ambassadorship) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app
        .provisional_group(&marie, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    app.held_event(&ada, &id, 30).await;
    app.held_event(&ben, &id, 120).await;
    let past = app.group_event(&ada, &id, -300, "scheduled", None).await;
    // Not yet: the third event was never marked held.
    let response = change_group_status(&app, Some(&marie.token), &id, "official", "Ready.").await;
    let problem = assert_problem(response, 409, "promotion_criteria_unmet").await;
    assert_eq!(error_fields(&problem), ["events"]);
    assert!(message_of(&problem, "events").starts_with("2 event(s)"));
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/events/{}", id_of(&past)),
            Some(&ada.token),
            &json!({"status": "held", "attendee_count": 42}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Act
    let response = change_group_status(
        &app,
        Some(&marie.token),
        &id,
        "official",
        "Three meetups this year and two organizers.",
    )
    .await;
    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let official = body(response).await;
    assert_eq!(official["status"], "official");
    assert_eq!(
        official["status_reason"],
        "Three meetups this year and two organizers."
    );
    assert_eq!(read_ok(&app, None, &id).await, official);
    // The quarter's report draft counts the promotion.
    let draft = app
        .get(
            &format!(
                "/v1/ambassadors/{}/reports/draft?period={}",
                id_of(&marie_ambassadorship),
                current_period()
            ),
            Some(&marie.token),
        )
        .await;
    assert_eq!(body(draft).await["metrics"]["groups_made_official"], 1);
    assert_eq!(
        listed(&app, None, "?status=official").await,
        ["lyon-operators"]
    );
    let entries = app.audit_entries(&staff, "group").await;
    let changed: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "group.status_changed")
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["entity_id"], id);
    assert_eq!(changed[0]["summary"]["from"], "provisional");
    assert_eq!(changed[0]["summary"]["to"], "official");
}

#[tokio::test]
async fn a_held_event_older_than_365_days_does_not_count_for_promotion() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    app.held_event(&ada, &id, 5).await;
    app.held_event(&ada, &id, 200).await;
    app.held_event(&ada, &id, 400).await;
    // Also not counted: a cancelled event and a scheduled one.
    app.group_event(&ada, &id, -20, "cancelled", None).await;
    app.group_event(&ada, &id, 20, "scheduled", None).await;
    let response = change_group_status(&app, Some(&staff.token), &id, "official", "Ready.").await;
    let problem = assert_problem(response, 409, "promotion_criteria_unmet").await;
    assert_eq!(
        error_codes(&problem),
        [("events".to_owned(), "too_few_held_events".to_owned())]
    );
    assert!(
        message_of(&problem, "events").starts_with("2 event(s) held in the last 365 days"),
        "{problem}"
    );
    assert_eq!(read_ok(&app, None, &id).await["status"], "provisional");
    assert_eq!(health(&app, None, &id).await["held_last_365_days"], 2);
}

#[tokio::test]
async fn an_official_group_goes_inactive_and_back_to_provisional_never_straight_to_official() {
    // Arrange: an official group.
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app
        .provisional_group(&marie, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    for days_ago in [10, 50, 100] {
        app.held_event(&ada, &id, days_ago).await;
    }
    let response = change_group_status(&app, Some(&marie.token), &id, "official", "Ready.").await;
    assert_eq!(response.status(), StatusCode::OK);
    // official → inactive
    let response = change_group_status(
        &app,
        Some(&marie.token),
        &id,
        "inactive",
        "No meetups lately.",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let inactive = body(response).await;
    assert_eq!(inactive["status"], "inactive");
    assert_eq!(
        read_ok(&app, None, &id).await,
        inactive,
        "an inactive group stays public"
    );
    // inactive → official is not a transition.
    let response = change_group_status(&app, Some(&marie.token), &id, "official", "Back.").await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(read_ok(&app, None, &id).await, inactive);
    // inactive → provisional
    let response =
        change_group_status(&app, Some(&staff.token), &id, "provisional", "Restarted.").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "provisional");
    // provisional → provisional and pending → anything are not transitions either.
    let response =
        change_group_status(&app, Some(&staff.token), &id, "provisional", "Again.").await;
    assert_problem(response, 409, "invalid_transition").await;
    let pending = app.group(&ben, "paris-operators", "FR").await;
    let response = change_group_status(
        &app,
        Some(&staff.token),
        &id_of(&pending),
        "inactive",
        "No.",
    )
    .await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(
        read_ok(&app, Some(&staff.token), "paris-operators").await["status"],
        "pending"
    );
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        3
    );
}

#[tokio::test]
async fn a_status_change_needs_a_reason() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    for reason in ["", "   "] {
        let response = change_group_status(&app, Some(&staff.token), &id, "inactive", reason).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["reason"], "reason {reason:?}");
    }
    let response =
        change_group_status(&app, Some(&staff.token), &id, "inactive", &"x".repeat(2001)).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["reason"]);
    // Without the field at all, it is named just the same.
    let response = app
        .post(
            &format!("/v1/groups/{id}/status"),
            Some(&staff.token),
            &json!({"status": "inactive"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["reason"]);
    assert_eq!(read_ok(&app, None, &id).await, group);
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        0
    );
}
