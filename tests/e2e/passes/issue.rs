//! `POST /v1/summits/{id}/passes/issue`: bulk issuance in order, within the quota, idempotent.

use chrono::{Duration, Utc};
use liaison_tests::{
    api_key, assert_code_shape, assert_problem, body, count, cutoff, error_fields, explanation,
    id_of, issue_passes, issue_passes_at, issued_members, live_passes, my_passes, organizer,
    programme_quota, send_manual_pass, string_of, summit, verified_run, Member, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::members_with_two_live_passes;

/// Five eligible organizers (16, 12 earlier, 12 later, and two of 10 on the
/// same day), an issuing key, a reading key, a plain member and a summit
/// with an `acc` quota of 4.
struct Issuance {
    staff: Member,
    p: Member,
    q: Member,
    r: Member,
    /// The smaller member id of the tie at 10 points, then the larger.
    tie: (Member, Member),
    issuer: String,
    reader: String,
    member: Member,
    id: String,
}

async fn five_eligible_four_places(app: &TestApp) -> Issuance {
    let staff = app.staff().await;
    let p = organizer(app, "Pia Plenty", 100, 8).await; // 16
    let q = organizer(app, "Quinn Quick", 200, 6).await; // 12, earlier
    let r = organizer(app, "Rita Recent", 50, 6).await; // 12, later
    let s1 = organizer(app, "Sam Same", 30, 5).await; // 10
    let s2 = organizer(app, "Sue Same", 30, 5).await; // 10, same day
    let tie = if s1.id < s2.id { (s1, s2) } else { (s2, s1) };
    let issuer = api_key(app, &["passes:issue"], &[]).await;
    let reader = api_key(app, &["passes:read"], &[]).await;
    let member = app.member("Mia Member").await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 4}])).await);
    Issuance {
        staff,
        p,
        q,
        r,
        tie,
        issuer,
        reader,
        member,
        id,
    }
}

#[tokio::test]
async fn bulk_issuance_needs_an_idempotency_key() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    organizer(&app, "Pia Plenty", 100, 8).await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let keys_before = count(&app.db, "idempotency_keys").await;
    let missing = assert_problem(
        issue_passes_at(
            &app,
            &app.address,
            &staff.token,
            &id,
            None,
            &json!({"program": "acc"}),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(error_fields(&missing), ["idempotency-key"]);
    assert_problem(
        issue_passes_at(
            &app,
            &app.address,
            &staff.token,
            &id,
            None,
            &json!({"program": "acc", "dry_run": true}),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, keys_before);
}

#[tokio::test]
async fn a_dry_run_says_who_would_get_a_pass_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let p = organizer(&app, "Pia Plenty", 100, 8).await;
    let q = organizer(&app, "Quinn Quick", 200, 6).await;
    let r = organizer(&app, "Rita Recent", 50, 6).await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let keys_before = count(&app.db, "idempotency_keys").await;
    let dry = issue_passes(
        &app,
        &staff.token,
        &id,
        "dry",
        &json!({"program": "acc", "dry_run": true}),
    )
    .await;
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["issued_count"], 2);
    assert_eq!(issued_members(&dry), [p.id.to_string(), q.id.to_string()]);
    assert!(dry["issued"]
        .as_array()
        .expect("issued")
        .iter()
        .all(|i| i["pass"].is_null()));
    assert_eq!(dry["issued"][0]["points"], 16);
    assert_eq!(dry["quota"], 2);
    assert_eq!(dry["used"], 2, "what would be used");
    assert_eq!(dry["remaining"], 0);
    let limited = issue_passes(
        &app,
        &staff.token,
        &id,
        "dry-max",
        &json!({"program": "acc", "dry_run": true, "max": 1}),
    )
    .await;
    assert_eq!(issued_members(&limited), [p.id.to_string()]);
    // Nothing written: no pass, no key, no audit entry, the quota untouched.
    assert_eq!(count(&app.db, "passes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, keys_before);
    assert_eq!(programme_quota(&app, &id, "acc").await["used"], 0);
    assert_eq!(app.audited(&staff, "summit", "passes.issued").await, 0);
    // The real run, with the dry run's key: it was never stored, so it acts.
    let real = issue_passes(&app, &staff.token, &id, "dry", &json!({"program": "acc"})).await;
    assert_eq!(real["dry_run"], false);
    let mut got = issued_members(&real);
    got.sort();
    let mut want = vec![p.id.to_string(), q.id.to_string()];
    want.sort();
    assert_eq!(got, want);
    assert!(!got.contains(&r.id.to_string()));
    assert_eq!(count(&app.db, "passes").await, 2);
}

#[tokio::test]
async fn only_staff_and_passes_issue_keys_issue_in_bulk() {
    let app = TestApp::spawn().await;
    let Issuance {
        id, reader, member, ..
    } = five_eligible_four_places(&app).await;
    let request = json!({"program": "acc", "max": 1});
    let keys_before = count(&app.db, "idempotency_keys").await;
    assert_problem(
        issue_passes_at(&app, &app.address, "", &id, Some("x"), &request).await,
        401,
        "unauthenticated",
    )
    .await;
    for token in [&member.token, &reader] {
        assert_problem(
            issue_passes_at(&app, &app.address, token, &id, Some("x"), &request).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(count(&app.db, "passes").await, 0);
    assert_eq!(
        count(&app.db, "idempotency_keys").await,
        keys_before,
        "refused requests store no key, so they can be retried"
    );
}

#[tokio::test]
async fn an_invalid_bulk_issuance_is_refused_and_stores_no_key() {
    let app = TestApp::spawn().await;
    let Issuance { id, issuer, .. } = five_eligible_four_places(&app).await;
    let request = json!({"program": "acc", "max": 1});
    let keys_before = count(&app.db, "idempotency_keys").await;
    let zero = assert_problem(
        issue_passes_at(
            &app,
            &app.address,
            &issuer,
            &id,
            Some("x"),
            &json!({"program": "acc", "max": 0}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&zero), ["max"]);
    // `program` is a field of the body (a 400 about a query parameter
    // once; schemathesis found it).
    let not_offered = assert_problem(
        issue_passes_at(
            &app,
            &app.address,
            &issuer,
            &id,
            Some("x"),
            &json!({"program": "aoc"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&not_offered), ["program"]);
    assert_eq!(not_offered["errors"][0]["code"], "unknown_program");
    assert_problem(
        issue_passes_at(
            &app,
            &app.address,
            &issuer,
            &Uuid::now_v7().to_string(),
            Some("x"),
            &request,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
    assert_eq!(
        count(&app.db, "idempotency_keys").await,
        keys_before,
        "refused requests store no key, so they can be retried"
    );
}

#[tokio::test]
async fn a_retried_bulk_issuance_replays_byte_for_byte_and_issues_nothing_more() {
    let app = TestApp::spawn().await;
    let Issuance { id, issuer, .. } = five_eligible_four_places(&app).await;
    let request = json!({"program": "acc", "max": 1});
    let one = issue_passes_at(&app, &app.address, &issuer, &id, Some("run-1"), &request).await;
    assert_eq!(one.status(), StatusCode::OK);
    let one_bytes = one.bytes().await.expect("body");
    let replay = issue_passes_at(&app, &app.address, &issuer, &id, Some("run-1"), &request).await;
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(replay.bytes().await.expect("body"), one_bytes);
    assert_eq!(count(&app.db, "passes").await, 1);
}

#[tokio::test]
async fn a_bulk_issuance_key_sent_with_another_body_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let Issuance { id, issuer, .. } = five_eligible_four_places(&app).await;
    issue_passes(
        &app,
        &issuer,
        &id,
        "run-1",
        &json!({"program": "acc", "max": 1}),
    )
    .await;
    assert_problem(
        issue_passes_at(
            &app,
            &app.address,
            &issuer,
            &id,
            Some("run-1"),
            &json!({"program": "acc", "max": 2}),
        )
        .await,
        409,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 1);
}

#[tokio::test]
async fn bulk_issuance_follows_the_order_until_the_quota() {
    let app = TestApp::spawn().await;
    let Issuance {
        staff,
        p,
        q,
        r,
        tie: (first, second),
        issuer,
        id,
        ..
    } = five_eligible_four_places(&app).await;
    // `max` 1: the most points.
    let one = issue_passes(
        &app,
        &issuer,
        &id,
        "run-1",
        &json!({"program": "acc", "max": 1}),
    )
    .await;
    assert_eq!(issued_members(&one), [p.id.to_string()]);
    assert_eq!(one["issued_count"], 1);
    assert_eq!(one["quota"], 4);
    assert_eq!(one["used"], 1);
    assert_eq!(one["remaining"], 3);
    let pass = &one["issued"][0]["pass"];
    assert_eq!(pass["member_id"], p.id.to_string());
    assert_eq!(pass["status"], "issued");
    assert_eq!(pass["origin"], "bulk");
    assert_eq!(pass["points"], 16);
    assert_eq!(pass["program"], "acc");
    assert_code_shape(&string_of(&pass["code"]));
    // `max` 2: equal points, the earlier threshold first.
    let two = issue_passes(
        &app,
        &issuer,
        &id,
        "run-2",
        &json!({"program": "acc", "max": 2}),
    )
    .await;
    let mut got = issued_members(&two);
    got.sort();
    let mut want = vec![q.id.to_string(), r.id.to_string()];
    want.sort();
    assert_eq!(got, want, "{two}");
    assert_eq!(two["remaining"], 1);
    // No max: the one place left goes to the smaller member id of a tie.
    let rest = issue_passes(&app, &staff.token, &id, "run-3", &json!({"program": "acc"})).await;
    assert_eq!(issued_members(&rest), [first.id.to_string()]);
    assert_eq!(rest["used"], 4);
    assert_eq!(rest["remaining"], 0);
    let more = issue_passes(&app, &staff.token, &id, "run-4", &json!({"program": "acc"})).await;
    assert_eq!(more["issued_count"], 0);
    assert_eq!(more["issued"], json!([]));
    assert_eq!(live_passes(&app, &id, Some("acc")).await, 4);
    assert_eq!(
        my_passes(&app, &second).await,
        Vec::<Value>::new(),
        "the later member id of the tie got none"
    );
    let codes: std::collections::BTreeSet<String> = [&one, &two, &rest]
        .iter()
        .flat_map(|r| r["issued"].as_array().expect("issued").clone())
        .map(|i| {
            let code = string_of(&i["pass"]["code"]);
            assert_code_shape(&code);
            code
        })
        .collect();
    assert_eq!(codes.len(), 4, "distinct codes");
    assert_eq!(app.audited(&staff, "summit", "passes.issued").await, 4);
}

#[tokio::test]
async fn one_pass_per_member_per_summit_whatever_the_programme() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let cut = cutoff();
    // Both: 4 moderated ops meetups + 2 talks (acc 8+6, aoc 12+4).
    let both = app.member("Bo Both").await;
    verified_run(
        &app,
        both.id,
        "ops_meetup_moderated",
        cut - Duration::days(100),
        4,
    )
    .await;
    verified_run(&app, both.id, "talk_given", cut - Duration::days(90), 2).await;
    // acc only: 4 talks (acc 12, aoc 6).
    let acc_only = app.member("Ann Acc").await;
    verified_run(&app, acc_only.id, "talk_given", cut - Duration::days(80), 4).await;
    // aoc only: 3 moderated ops meetups (acc 6, aoc 9).
    let aoc_only = app.member("Otto Ops").await;
    verified_run(
        &app,
        aoc_only.id,
        "ops_meetup_moderated",
        cut - Duration::days(70),
        3,
    )
    .await;
    let id = id_of(
        &summit(
            &app,
            &staff,
            json!([{"program": "acc", "quota": 10}, {"program": "aoc", "quota": 10}]),
        )
        .await,
    );
    assert_eq!(
        explanation(&app, &both.token, &id, "me", "acc").await["eligible"],
        true
    );
    assert_eq!(
        explanation(&app, &both.token, &id, "me", "aoc").await["eligible"],
        true
    );

    let acc = issue_passes(&app, &staff.token, &id, "acc", &json!({"program": "acc"})).await;
    let mut got = issued_members(&acc);
    got.sort();
    let mut want = vec![both.id.to_string(), acc_only.id.to_string()];
    want.sort();
    assert_eq!(got, want);
    // The aoc list shows who already holds a pass; the dry run and the run skip them.
    let aoc_list = body(
        app.get(
            &format!("/v1/summits/{id}/eligibility?program=aoc"),
            Some(&staff.token),
        )
        .await,
    )
    .await["items"]
        .clone();
    let holder = aoc_list
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["member_id"] == both.id.to_string())
        .cloned()
        .expect("both in the aoc list");
    assert_eq!(holder["has_pass"], true);
    let dry = issue_passes(
        &app,
        &staff.token,
        &id,
        "aoc-dry",
        &json!({"program": "aoc", "dry_run": true}),
    )
    .await;
    assert_eq!(issued_members(&dry), [aoc_only.id.to_string()]);
    let aoc = issue_passes(&app, &staff.token, &id, "aoc", &json!({"program": "aoc"})).await;
    assert_eq!(issued_members(&aoc), [aoc_only.id.to_string()]);
    assert_eq!(my_passes(&app, &both).await.len(), 1);
    // Nor by hand, in either programme.
    for program in ["aoc", "acc"] {
        assert_problem(
            send_manual_pass(&app, &staff, &id, both.id, program).await,
            409,
            "already_has_pass",
        )
        .await;
    }
    assert_eq!(count(&app.db, "passes").await, 3);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
}

#[tokio::test]
async fn a_revoked_member_does_not_get_the_freed_place_back_from_the_next_bulk_issuance() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let p = organizer(&app, "Pia Plenty", 100, 8).await; // 16
    let q = organizer(&app, "Quinn Quick", 200, 6).await; // 12
    let r = organizer(&app, "Rita Recent", 30, 5).await; // 10
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let first = issue_passes(&app, &staff.token, &id, "first", &json!({"program": "acc"})).await;
    let mut got = issued_members(&first);
    got.sort();
    let mut want = vec![p.id.to_string(), q.id.to_string()];
    want.sort();
    assert_eq!(got, want);
    let q_pass = first["issued"]
        .as_array()
        .expect("issued")
        .iter()
        .find(|i| i["member_id"] == q.id.to_string())
        .map(|i| string_of(&i["pass"]["id"]))
        .expect("q's pass");
    let revoked = app
        .post(
            &format!("/v1/passes/{q_pass}/revoke"),
            Some(&staff.token),
            &json!({"reason": "code of conduct violation"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(programme_quota(&app, &id, "acc").await["remaining"], 1);

    // The freed place goes to the next eligible member, not back to the
    // member whose pass staff just revoked.
    let next = issue_passes(&app, &staff.token, &id, "next", &json!({"program": "acc"})).await;
    assert_eq!(
        issued_members(&next),
        [r.id.to_string()],
        "the revoked member got a new pass from the bulk issuance: {next}"
    );
    let q_passes = my_passes(&app, &q).await;
    assert!(
        q_passes.iter().all(|p| p["status"] == "revoked"),
        "{q_passes:?}"
    );
}

#[tokio::test]
async fn issued_passes_are_listed_in_issuance_order_ties_broken_by_the_day_the_threshold_was_reached(
) {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let late = app.member("Late").await;
    let early = app.member("Early").await;
    let top = app.member("Top").await;
    // Equal points for Late and Early (12 each), reached 10 and 100 days ago; Top has 15.
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), m, 'talk_given', current_date - d - n, 'A talk', 'verified'
             FROM (VALUES ('{}'::uuid, 10), ('{}'::uuid, 100)) AS t(m, d) CROSS JOIN generate_series(0, 3) n;
             INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), '{}', 'documentation', current_date - 50 - n, 'Docs', 'verified' FROM generate_series(0, 4) n;
             INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), '{}', 'talk_given', current_date - 5, 'Talk', 'verified'",
            late.id, early.id, top.id, top.id
        ))
        .await
        .expect("arrange contributions");
    let today = Utc::now().date_naive();
    let summit = app
        .post(
            "/v1/summits",
            Some(&staff.token),
            &json!({"name": "Order", "city": "Lisbon", "starts_on": today, "ends_on": today,
                    "eligibility_cutoff": today, "programs": [{"program": "acc", "quota": 3}]}),
        )
        .await;
    let summit = id_of(&body(summit).await);
    let eligible = body(
        app.get(
            &format!("/v1/summits/{summit}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await["items"]
        .clone();
    let order: Vec<String> = eligible
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["member_id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        order,
        [
            top.id.to_string(),
            early.id.to_string(),
            late.id.to_string()
        ]
    );
    let issued = app
        .call(
            Method::POST,
            &format!("/v1/summits/{summit}/passes/issue"),
            Some(&staff.token),
        )
        .header("Idempotency-Key", "order")
        .json(&json!({"program": "acc"}))
        .send()
        .await
        .expect("issue");
    let issued = body(issued).await;
    let issued_order: Vec<String> = issued["issued"]
        .as_array()
        .expect("issued")
        .iter()
        .map(|i| i["member_id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(issued_order, order);
}

/// Found by schemathesis: a dry run names the programme the same way (a 400
/// about a query parameter once).
#[tokio::test]
async fn a_dry_run_for_a_programme_the_summit_does_not_offer_is_a_422_naming_it() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let request = json!({"program": "aoc", "dry_run": true});
    let response = issue_passes_at(&app, &app.address, &staff.token, &id, Some("k"), &request);
    let problem = assert_problem(response.await, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["program"]);
    assert_eq!(problem["errors"][0]["code"], "unknown_program");
}
