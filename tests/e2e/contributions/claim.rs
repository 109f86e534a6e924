//! `POST /v1/contributions`: a member claims a contribution.

use chrono::Duration;
use liaison_tests::{
    assert_problem, body, claim, claim_request, count, error_fields, id_of, today, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{linked_claim, mine};

#[tokio::test]
async fn a_member_claims_a_pending_contribution() {
    let app = TestApp::spawn().await;
    let member = app.member("Tia Talker").await;
    let request = claim_request("talk_given");
    let response = app
        .post("/v1/contributions", Some(&member.token), &request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("Location")
        .to_owned();
    let claimed = body(response).await;
    assert_eq!(location, format!("/v1/contributions/{}", id_of(&claimed)));
    assert_eq!(claimed["member_id"], member.id.to_string());
    assert_eq!(claimed["kind"], "talk_given");
    assert_eq!(claimed["occurred_on"], request["occurred_on"]);
    assert_eq!(claimed["title"], "A talk_given worth recognising");
    assert_eq!(claimed["evidence_url"], "https://example.org/evidence");
    assert_eq!(claimed["status"], "pending");
    assert_eq!(claimed["derived"], false);
    assert_eq!(claimed["note"], Value::Null);
    assert_eq!(claimed["decided_at"], Value::Null);
    assert_eq!(claimed["group_id"], Value::Null);
    assert_eq!(claimed["event_id"], Value::Null);

    // Today is not in the future; the evidence URL is optional.
    let today_claim = claim(
        &app,
        &member,
        &json!({"kind": "mentoring", "occurred_on": today(), "title": "Mentored a newcomer"}),
    )
    .await;
    assert_eq!(today_claim["evidence_url"], Value::Null);

    let read = mine(&app, &member).await;
    assert_eq!(read.len(), 2);
    assert_eq!(read[1], claimed, "newest first, as claimed");
    assert_eq!(count(&app.db, "contributions").await, 2);
    let staff = app.staff().await;
    assert_eq!(
        app.audited(&staff, "contribution", "contribution.claimed")
            .await,
        2
    );
}

#[tokio::test]
async fn a_claim_links_a_group_and_one_of_its_events() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let speaker = app.member("Sid Speaker").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let event = app.held_event(&lead, &group, 7).await;
    let claimed = claim(
        &app,
        &speaker,
        &linked_claim("talk_given", &group, Some(&id_of(&event))),
    )
    .await;
    assert_eq!(claimed["group_id"], group.as_str());
    assert_eq!(claimed["event_id"], id_of(&event).as_str());
    assert_eq!(claimed["status"], "pending");
    // A group without an event is fine too.
    let linked = claim(&app, &speaker, &linked_claim("mentoring", &group, None)).await;
    assert_eq!(linked["group_id"], group.as_str());
    assert_eq!(linked["event_id"], Value::Null);
}

#[tokio::test]
async fn invalid_claims_are_422_naming_each_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let member = app.member("Mia Member").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let other = app.approved_group(&staff, &lead, "paris-ops", "FR").await;
    let other_event = app.held_event(&lead, &other, 3).await;
    let contributions = count(&app.db, "contributions").await;
    let audit = count(&app.db, "audit_log").await;
    let with = |changes: Value| {
        let mut request = claim_request("talk_given");
        for (key, value) in changes.as_object().expect("changes") {
            request[key] = value.clone();
        }
        request
    };
    let tomorrow = today() + Duration::days(1);
    let cases = [
        (with(json!({"kind": "nope"})), vec!["kind"]),
        (with(json!({"occurred_on": tomorrow})), vec!["occurred_on"]),
        (with(json!({"title": "ab"})), vec!["title"]),
        (with(json!({"title": "t".repeat(201)})), vec!["title"]),
        (
            with(json!({"evidence_url": "ftp://example.org/x"})),
            vec!["evidence_url"],
        ),
        (
            with(json!({"evidence_url": "not a url"})),
            vec!["evidence_url"],
        ),
        (
            with(json!({"group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e60"})),
            vec!["group_id"],
        ),
        (
            with(json!({"group_id": group, "event_id": id_of(&other_event)})),
            vec!["event_id"],
        ),
        (
            with(json!({"group_id": group, "event_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e61"})),
            vec!["event_id"],
        ),
        (
            with(
                json!({"kind": "nope", "occurred_on": tomorrow, "title": "ab",
                        "evidence_url": "ftp://x", "group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e60"}),
            ),
            vec!["kind", "occurred_on", "title", "evidence_url", "group_id"],
        ),
    ];
    for (request, fields) in cases {
        let problem = assert_problem(
            app.post("/v1/contributions", Some(&member.token), &request)
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{request}");
    }
    assert_eq!(count(&app.db, "contributions").await, contributions);
    assert_eq!(count(&app.db, "audit_log").await, audit);
    assert!(mine(&app, &member).await.is_empty());
}

#[tokio::test]
async fn claiming_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let before = count(&app.db, "contributions").await;
    assert_problem(
        app.post("/v1/contributions", None, &claim_request("talk_given"))
            .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post(
            "/v1/contributions",
            Some("not-a-token"),
            &claim_request("talk_given"),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "contributions").await, before);
}
