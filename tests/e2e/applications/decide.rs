//! `POST /v1/applications/{id}/decision`: staff select (an ambassadorship) or decline.

use chrono::{Duration, Months, NaiveDate, Utc};
use liaison_tests::{
    assert_problem, body, count, error_fields, id_of, open_cycle_request, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{read, setup};

/// A date of a JSON field.
fn date(value: &Value) -> NaiveDate {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a date, got {value}"))
}

#[tokio::test]
async fn selecting_an_application_creates_an_ambassadorship_for_the_cycles_term() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let mut request = open_cycle_request(None, None);
    request["term_months"] = json!(18);
    let response = app
        .post("/v1/ambassador-cycles", Some(&staff.token), &request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cycle = id_of(&body(response).await);
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app
        .send_decision(&staff, &id, "selected", "  Rank 1 in Europe.  ")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided = body(response).await;
    assert_eq!(decided["status"], "selected");
    assert_eq!(decided["decision_reason"], "Rank 1 in Europe.");
    assert!(decided["decided_at"].is_string());
    // The applicant sees the outcome and the reason.
    let seen = read(&app, &ada, &id).await;
    assert_eq!(seen["status"], "selected");
    assert_eq!(seen["decision_reason"], "Rank 1 in Europe.");
    let response = app.get("/v1/ambassadors", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let list = body(response).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let ambassador = &items[0];
    assert_eq!(ambassador["member_id"], ada.id.to_string());
    assert_eq!(ambassador["display_name"], "Ada");
    assert_eq!(ambassador["region"], "europe");
    assert_eq!(ambassador["cycle_id"], cycle.as_str());
    assert_eq!(ambassador["status"], "active");
    assert_eq!(ambassador["status_reason"], Value::Null);
    let start = date(&ambassador["term_start"]);
    let today = Utc::now().date_naive();
    assert!(
        start == today || start + Duration::days(1) == today,
        "{start}"
    );
    assert_eq!(
        Some(date(&ambassador["term_end"])),
        start.checked_add_months(Months::new(18))
    );
    let response = app.get("/v1/regions/europe/ambassadors", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["items"], json!([ambassador]));
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

#[tokio::test]
async fn a_decision_without_a_reason_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    for reason in ["", "   "] {
        let problem = assert_problem(
            app.send_decision(&staff, &id, "declined", reason).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["reason"]);
    }
    let problem = assert_problem(
        app.send_decision(&staff, &id, "selected", "").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["reason"]);
    assert_eq!(read(&app, &ada, &id).await, submitted);
}

#[tokio::test]
async fn declining_with_a_reason_makes_no_ambassadorship() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app
        .send_decision(&staff, &id, "declined", "Another applicant covers Lyon.")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = read(&app, &ada, &id).await;
    assert_eq!(seen["status"], "declined");
    assert_eq!(seen["decision_reason"], "Another applicant covers Lyon.");
    assert_eq!(count(&app.db, "ambassadorships").await, 0);
    let list = body(app.get("/v1/ambassadors", None).await).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn selecting_beyond_the_regions_seats_is_409_seats_full() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, Some(&[("europe", 1)]), None).await);
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let first = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let second = app.submitted_application(&bob, &cycle, "europe").await;
    app.decide(&staff, &first, "selected").await;
    let audit_before = count(&app.db, "audit_log").await;
    assert_problem(
        app.send_decision(&staff, &id_of(&second), "selected", "Strong record.")
            .await,
        409,
        "seats_full",
    )
    .await;
    assert_eq!(read(&app, &bob, &id_of(&second)).await, second);
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    // Declining still works when the seats are full.
    app.decide(&staff, &id_of(&second), "declined").await;
}

#[tokio::test]
async fn selecting_beyond_the_affiliation_cap_is_409_affiliation_cap_reached() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, Some(1)).await);
    let ada = app.member("Ada").await;
    app.set_affiliation(&ada, "Acme").await;
    let bob = app.member("Bob").await;
    app.set_affiliation(&bob, "ACME").await;
    let first = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    // The cap runs across the cycle, not per region.
    let second = app.submitted_application(&bob, &cycle, "asia").await;
    app.decide(&staff, &first, "selected").await;
    assert_problem(
        app.send_decision(&staff, &id_of(&second), "selected", "Strong record.")
            .await,
        409,
        "affiliation_cap_reached",
    )
    .await;
    assert_eq!(read(&app, &bob, &id_of(&second)).await, second);
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

#[tokio::test]
async fn independents_are_no_affiliation_and_all_of_them_are_selected_under_a_cap() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, Some(1)).await);
    let ada = app.member("Ada").await;
    app.set_affiliation(&ada, "Acme").await;
    let cleo = app.member("Cleo").await;
    app.set_affiliation(&cleo, "independent").await;
    let dan = app.member("Dan").await;
    app.set_affiliation(&dan, "independent").await;
    let first = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    app.decide(&staff, &first, "selected").await;
    for member in [&cleo, &dan] {
        let id = id_of(&app.submitted_application(member, &cycle, "europe").await);
        app.decide(&staff, &id, "selected").await;
    }
    assert_eq!(count(&app.db, "ambassadorships").await, 3);
}

#[tokio::test]
async fn deciding_a_draft_or_a_decided_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    for outcome in ["selected", "declined"] {
        assert_problem(
            app.send_decision(&staff, &id_of(&draft), outcome, "Too early.")
                .await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(read(&app, &ada, &id_of(&draft)).await, draft);
    let bob = app.member("Bob").await;
    let id = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    app.decide(&staff, &id, "selected").await;
    for outcome in ["selected", "declined"] {
        assert_problem(
            app.send_decision(&staff, &id, outcome, "Again.").await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(read(&app, &bob, &id).await["status"], "selected");
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

#[tokio::test]
async fn only_staff_decide_an_application() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let ambassadorships_before = count(&app.db, "ambassadorships").await;
    assert_problem(
        app.send_decision(&ambassador, &id, "selected", "I like them.")
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send_decision(&ada, &id, "selected", "I like me.").await,
        403,
        "forbidden",
    )
    .await;
    let bob = app.member("Bob").await;
    assert_problem(
        app.send_decision(&bob, &id, "selected", "Why not.").await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .post(
            &format!("/v1/applications/{id}/decision"),
            None,
            &json!({"outcome": "selected", "reason": "Anonymous."}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    assert_eq!(read(&app, &ada, &id).await, submitted);
    assert_eq!(
        count(&app.db, "ambassadorships").await,
        ambassadorships_before
    );
}

#[tokio::test]
async fn selecting_writes_the_decision_and_the_ambassadorship_to_the_audit_log() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    app.decide(&staff, &id, "selected").await;
    let ambassadorship = app.ambassadorship_of(&ada).await;
    let decided: Vec<Value> = app
        .audit_entries(&staff, "application")
        .await
        .into_iter()
        .filter(|e| e["action"] == "application.decided")
        .collect();
    assert_eq!(decided.len(), 1, "{decided:?}");
    assert_eq!(decided[0]["entity_id"], id.as_str());
    assert_eq!(decided[0]["actor_id"], staff.id.to_string());
    assert_eq!(decided[0]["summary"]["outcome"], "selected");
    assert_eq!(
        decided[0]["summary"]["ambassadorship_id"],
        ambassadorship["id"]
    );
    let created: Vec<Value> = app
        .audit_entries(&staff, "ambassadorship")
        .await
        .into_iter()
        .filter(|e| e["action"] == "ambassadorship.created")
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["entity_id"], ambassadorship["id"]);
    assert_eq!(created[0]["actor_id"], staff.id.to_string());
    assert_eq!(created[0]["summary"]["member_id"], ada.id.to_string());
}

#[tokio::test]
async fn concurrent_selections_for_the_last_seat_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, Some(&[("europe", 1)]), None).await);
    let mut applications = Vec::new();
    for i in 0..10 {
        let member = app.member(&format!("Applicant {i}")).await;
        let id = id_of(&app.submitted_application(&member, &cycle, "europe").await);
        applications.push((member, id));
    }
    let calls = applications
        .iter()
        .map(|(_, id)| app.send_decision(&staff, id, "selected", "First come."));
    let responses = futures_util::future::join_all(calls).await;
    let mut winners = Vec::new();
    for ((member, id), response) in applications.iter().zip(responses) {
        if response.status() == StatusCode::OK {
            winners.push((member.clone(), id.clone()));
        } else {
            assert_problem(response, 409, "seats_full").await;
        }
    }
    assert_eq!(winners.len(), 1, "exactly one selection wins the seat");
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
    let (winner, winner_id) = &winners[0];
    assert_eq!(app.ambassadorship_of(winner).await["status"], "active");
    for (member, id) in &applications {
        let expected = if id == winner_id {
            "selected"
        } else {
            "submitted"
        };
        assert_eq!(read(&app, member, id).await["status"], expected);
    }
}
