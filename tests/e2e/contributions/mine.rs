//! `GET /v1/me/contributions`: own claims, and what each held event gives its organizers.

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use liaison_tests::{
    assert_problem, body, claim, claim_request, count, event_request, id_of, scalar, Member,
    TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{a_past_scheduled_event, ids, ids_of, mine, organized, patched};

/// How many `event_organized` contributions a member holds for an event, in the database.
async fn organized_rows(app: &TestApp, member: &Member, event: &str) -> i64 {
    scalar(
        &app.db,
        &format!(
            "SELECT count(*)::bigint AS n FROM contributions
             WHERE member_id = '{}' AND kind = 'event_organized' AND event_id = '{event}'",
            member.id
        ),
    )
    .await
}

/// The UTC day an event starts.
fn start_day(event: &Value) -> String {
    event["starts_at"]
        .as_str()
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .expect("starts_at")
        .date_naive()
        .to_string()
}

/// A synced event of `days_from_now` days, with `status`.
fn synced_event(
    external_id: &str,
    days_from_now: i64,
    status: &str,
    attendees: Option<i32>,
) -> Value {
    let starts_at = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0) - Duration::hours(12)
        + Duration::days(days_from_now);
    json!({
        "external_id": external_id,
        "title": format!("Synced meetup {external_id}"),
        "starts_at": starts_at,
        "ends_at": starts_at + Duration::hours(2),
        "status": status,
        "attendee_count": attendees,
    })
}

/// `PUT /v1/groups/{group}/events/sync` (upsert, source `meetup`) that must answer 200.
async fn sync(app: &TestApp, member: &Member, group: &str, key: &str, events: &[Value]) -> Value {
    let response = app
        .call(
            Method::PUT,
            &format!("/v1/groups/{group}/events/sync"),
            Some(&member.token),
        )
        .header("Idempotency-Key", key)
        .json(&json!({"source": "meetup", "mode": "upsert", "events": events}))
        .send()
        .await
        .expect("sync request");
    assert_eq!(response.status(), StatusCode::OK, "sync with key {key}");
    body(response).await
}

/// The id of the event a group's site knows as `external_id`.
async fn event_id_of(app: &TestApp, group: &str, external_id: &str) -> String {
    let response = app
        .get(&format!("/v1/groups/{group}/events?limit=200"), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "list events");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["external_id"] == external_id)
        .map(id_of)
        .unwrap_or_else(|| panic!("an event {external_id}"))
}

/// Lea leading an approved group with Cory as co-organizer, and a batch of
/// two held and two scheduled events synced with key `first`:
/// `(lea, cory, group, batch)`.
async fn a_synced_batch(app: &TestApp) -> (Member, Member, String, Vec<Value>) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    let batch = vec![
        synced_event("m1", -40, "held", Some(90)),
        synced_event("m2", -10, "held", Some(70)),
        synced_event("m3", -2, "scheduled", None),
        synced_event("m4", 20, "scheduled", None),
    ];
    let result = sync(app, &lead, &group, "first", &batch).await;
    assert_eq!(result["created"], 4);
    (lead, co, group, batch)
}

/// Lea leading an approved group with an event held 20 days ago and one
/// five days ago still scheduled, then Luc joining:
/// `(lea, luc, held before, pending)`.
async fn a_late_organizer(app: &TestApp) -> (Member, Member, Value, Value) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let late = app.member("Luc Late").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let before = app.held_event(&lead, &group, 20).await;
    let pending = app.group_event(&lead, &group, -5, "scheduled", None).await;
    app.add_co_organizer(&lead, &group, &late).await;
    (lead, late, before, pending)
}

#[tokio::test]
async fn my_contributions_are_my_claims_only() {
    let app = TestApp::spawn().await;
    let alice = app.member("Alice").await;
    let bob = app.member("Bob").await;
    let a1 = claim(&app, &alice, &claim_request("talk_given")).await;
    let a2 = claim(&app, &alice, &claim_request("mentoring")).await;
    let b1 = claim(&app, &bob, &claim_request("localization")).await;
    assert_eq!(ids(&mine(&app, &alice).await), ids_of(&[&a1, &a2]));
    assert_eq!(ids(&mine(&app, &bob).await), ids_of(&[&b1]));
}

#[tokio::test]
async fn my_contributions_need_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/me/contributions", None).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn marking_an_event_held_gives_each_organizer_one_verified_contribution() {
    let app = TestApp::spawn().await;
    let (_, lead, co, group, event) = a_past_scheduled_event(&app).await;
    let attendee = app.member("Ada Attendee").await;
    let event_id = id_of(&event);
    assert_eq!(
        count(&app.db, "contributions").await,
        0,
        "scheduled earns nothing"
    );
    let held = patched(
        &app,
        &lead,
        &event_id,
        &json!({"status": "held", "attendee_count": 80}),
    )
    .await;
    assert_eq!(held["status"], "held");
    for organizer in [&lead, &co] {
        let earned = organized(&app, organizer).await;
        assert_eq!(earned.len(), 1, "{earned:?}");
        let c = &earned[0];
        assert_eq!(c["member_id"], organizer.id.to_string());
        assert_eq!(c["status"], "verified");
        assert_eq!(c["derived"], true);
        assert_eq!(c["occurred_on"], start_day(&event).as_str());
        assert_eq!(c["group_id"], group.as_str());
        assert_eq!(c["event_id"], event_id.as_str());
        assert!(c["decided_at"].is_string());
        assert!(c["title"].as_str().is_some_and(|t| t.contains("Meetup -3")));
    }
    assert!(mine(&app, &attendee).await.is_empty());
    assert_eq!(count(&app.db, "contributions").await, 2);
}

#[tokio::test]
async fn marking_a_held_event_held_again_or_editing_it_never_derives_a_second_contribution() {
    let app = TestApp::spawn().await;
    let (_, lead, co, _, event) = a_past_scheduled_event(&app).await;
    let event_id = id_of(&event);
    patched(
        &app,
        &lead,
        &event_id,
        &json!({"status": "held", "attendee_count": 80}),
    )
    .await;
    assert_eq!(count(&app.db, "contributions").await, 2);
    // Held again, edited, edited while held.
    patched(
        &app,
        &lead,
        &event_id,
        &json!({"status": "held", "attendee_count": 80}),
    )
    .await;
    patched(&app, &co, &event_id, &json!({"attendee_count": 95})).await;
    patched(
        &app,
        &lead,
        &event_id,
        &json!({"title": "Renamed meetup", "status": "held"}),
    )
    .await;
    assert_eq!(count(&app.db, "contributions").await, 2);
    for organizer in [&lead, &co] {
        assert_eq!(organized_rows(&app, organizer, &event_id).await, 1);
    }
}

#[tokio::test]
async fn leaving_held_and_coming_back_still_derives_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let event = app.held_event(&lead, &group, 4).await;
    let event_id = id_of(&event);
    assert_eq!(organized_rows(&app, &lead, &event_id).await, 1);
    patched(&app, &lead, &event_id, &json!({"status": "scheduled"})).await;
    patched(
        &app,
        &lead,
        &event_id,
        &json!({"status": "held", "attendee_count": 30}),
    )
    .await;
    patched(&app, &lead, &event_id, &json!({"status": "cancelled"})).await;
    patched(
        &app,
        &lead,
        &event_id,
        &json!({"status": "held", "attendee_count": 31}),
    )
    .await;
    assert_eq!(organized_rows(&app, &lead, &event_id).await, 1);
    assert_eq!(count(&app.db, "contributions").await, 1);
}

#[tokio::test]
async fn a_held_event_created_directly_derives_too() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    let event = app.held_event(&lead, &group, 6).await;
    for organizer in [&lead, &co] {
        let earned = organized(&app, organizer).await;
        assert_eq!(earned.len(), 1, "{earned:?}");
        assert_eq!(earned[0]["status"], "verified");
        assert_eq!(earned[0]["derived"], true);
        assert_eq!(earned[0]["event_id"], id_of(&event).as_str());
        assert_eq!(earned[0]["occurred_on"], start_day(&event).as_str());
    }
    assert_eq!(count(&app.db, "contributions").await, 2);
}

#[tokio::test]
async fn a_scheduled_or_cancelled_event_created_directly_earns_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    app.held_event(&lead, &group, 6).await;
    app.group_event(&lead, &group, 10, "scheduled", None).await;
    app.group_event(&lead, &group, -2, "cancelled", None).await;
    assert_eq!(count(&app.db, "contributions").await, 2, "the held one's");
}

#[tokio::test]
async fn a_retried_creation_of_a_held_event_derives_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    app.held_event(&lead, &group, 6).await;
    assert_eq!(count(&app.db, "contributions").await, 2);
    let request = event_request(-8, "held", Some(40));
    for _ in 0..2 {
        let response = app
            .call(
                Method::POST,
                &format!("/v1/groups/{group}/events"),
                Some(&lead.token),
            )
            .header("Idempotency-Key", "held-once")
            .json(&request)
            .send()
            .await
            .expect("create");
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(count(&app.db, "contributions").await, 4);
    assert_eq!(organized(&app, &lead).await.len(), 2);
}

#[tokio::test]
async fn a_sync_that_marks_events_held_derives_them_in_the_same_request() {
    let app = TestApp::spawn().await;
    let (lead, co, _, batch) = a_synced_batch(&app).await;
    // Right after the sync, without anything else happening.
    for organizer in [&lead, &co] {
        let earned = organized(&app, organizer).await;
        assert_eq!(earned.len(), 2, "{earned:?}");
        assert!(earned
            .iter()
            .all(|c| c["status"] == "verified" && c["derived"] == true));
        let mut days: Vec<String> = earned
            .iter()
            .map(|c| c["occurred_on"].as_str().expect("day").to_owned())
            .collect();
        days.sort();
        let mut expected = vec![start_day(&batch[0]), start_day(&batch[1])];
        expected.sort();
        assert_eq!(days, expected);
    }
    assert_eq!(count(&app.db, "contributions").await, 4);
}

#[tokio::test]
async fn the_same_batch_synced_again_derives_nothing_more() {
    let app = TestApp::spawn().await;
    let (lead, _, group, batch) = a_synced_batch(&app).await;
    assert_eq!(count(&app.db, "contributions").await, 4);
    // Replayed, or under a new key.
    sync(&app, &lead, &group, "first", &batch).await;
    let again = sync(&app, &lead, &group, "second", &batch).await;
    assert_eq!(again["unchanged"], 4);
    assert_eq!(count(&app.db, "contributions").await, 4);
}

#[tokio::test]
async fn a_sync_editing_held_events_derives_only_for_the_newly_held_one() {
    let app = TestApp::spawn().await;
    let (lead, co, group, batch) = a_synced_batch(&app).await;
    let mut next = batch.clone();
    next[0]["attendee_count"] = json!(95);
    next[2]["status"] = json!("held");
    next[2]["attendee_count"] = json!(40);
    let result = sync(&app, &co, &group, "third", &next).await;
    assert_eq!(result["updated"], 2);
    assert_eq!(count(&app.db, "contributions").await, 6);
    let m3 = event_id_of(&app, &group, "m3").await;
    for organizer in [&lead, &co] {
        assert_eq!(organized(&app, organizer).await.len(), 3);
        assert_eq!(organized_rows(&app, organizer, &m3).await, 1);
    }
}

#[tokio::test]
async fn an_organizer_who_joins_later_earns_nothing_for_events_already_held() {
    let app = TestApp::spawn().await;
    let (lead, late, before, _) = a_late_organizer(&app).await;
    assert!(organized(&app, &late).await.is_empty());
    // Editing the already-held event gives the newcomer nothing.
    patched(
        &app,
        &lead,
        &id_of(&before),
        &json!({"title": "Renamed", "attendee_count": 25}),
    )
    .await;
    patched(&app, &late, &id_of(&before), &json!({"status": "held"})).await;
    assert!(organized(&app, &late).await.is_empty());
}

#[tokio::test]
async fn an_event_held_after_an_organizer_joined_earns_them_a_contribution_too() {
    let app = TestApp::spawn().await;
    let (lead, late, before, pending) = a_late_organizer(&app).await;
    // An event that becomes held after they joined earns both.
    patched(
        &app,
        &late,
        &id_of(&pending),
        &json!({"status": "held", "attendee_count": 12}),
    )
    .await;
    assert_eq!(organized_rows(&app, &late, &id_of(&pending)).await, 1);
    assert_eq!(organized_rows(&app, &lead, &id_of(&pending)).await, 1);
    // So does the earlier one if it changes to held again.
    patched(
        &app,
        &lead,
        &id_of(&before),
        &json!({"status": "scheduled"}),
    )
    .await;
    patched(
        &app,
        &lead,
        &id_of(&before),
        &json!({"status": "held", "attendee_count": 25}),
    )
    .await;
    assert_eq!(organized_rows(&app, &late, &id_of(&before)).await, 1);
    assert_eq!(organized_rows(&app, &lead, &id_of(&before)).await, 1);
    assert_eq!(count(&app.db, "contributions").await, 4);
}

#[tokio::test]
async fn a_sync_editing_an_already_held_event_gives_a_later_organizer_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let late = app.member("Luc Late").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let batch = vec![synced_event("m1", -30, "held", Some(50))];
    sync(&app, &lead, &group, "first", &batch).await;
    assert_eq!(organized(&app, &lead).await.len(), 1);
    app.add_co_organizer(&lead, &group, &late).await;

    // The site corrects the attendance of the held event: it was held before
    // the newcomer joined, and it did not change to held now.
    let mut corrected = batch.clone();
    corrected[0]["attendee_count"] = json!(55);
    let result = sync(&app, &lead, &group, "second", &corrected).await;
    assert_eq!(result["updated"], 1);
    assert!(
        organized(&app, &late).await.is_empty(),
        "a sync that only edits an already-held event derived `event_organized` for an organizer who joined after it was held"
    );
    assert_eq!(count(&app.db, "contributions").await, 1);
}

#[tokio::test]
async fn racing_patches_mark_an_event_held_once_per_organizer() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let third = app.member("Theo Third").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    app.add_co_organizer(&lead, &group, &third).await;
    let event = app.group_event(&lead, &group, -3, "scheduled", None).await;
    let event_id = id_of(&event);
    let organizers = [&lead, &co, &third];
    let second = app.second_server().await;

    let patches = (0..20).map(|i| {
        let who = organizers[i % organizers.len()];
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            second.clone()
        };
        app.client
            .patch(format!("{base}/v1/events/{event_id}"))
            .bearer_auth(&who.token)
            .json(&json!({"status": "held", "attendee_count": 80}))
            .send()
    });
    let responses = join_all(patches).await;
    for response in responses {
        let response = response.expect("patch");
        assert_eq!(response.status(), StatusCode::OK, "every patch succeeds");
    }
    assert_eq!(count(&app.db, "contributions").await, 3);
    for organizer in organizers {
        assert_eq!(organized_rows(&app, organizer, &event_id).await, 1);
        assert_eq!(organized(&app, organizer).await.len(), 1);
    }
}
