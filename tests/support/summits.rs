//! Summits and eligibility arranged through the API, with verified
//! contributions put straight into the database (as staff would have
//! verified them): what the passes tests build on.

use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{body, exec, Member, TestApp};

/// The eligibility cutoff most tests use: a month ago.
pub fn cutoff() -> NaiveDate {
    Utc::now().date_naive() - Duration::days(30)
}

/// `n` verified `kind` contributions of `member` on consecutive days from
/// `first` (one a day).
pub async fn verified_run(app: &TestApp, member: Uuid, kind: &str, first: NaiveDate, n: i64) {
    exec(
        &app.db,
        &format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), '{member}', '{kind}', DATE '{first}' + g, 'arranged', 'verified'
             FROM generate_series(0, {n} - 1) AS g"
        ),
    )
    .await;
}

/// A member with `n` verified `event_organized` (2 points each under acc v1)
/// on consecutive days starting `days_before` days before the cutoff.
pub async fn organizer(app: &TestApp, name: &str, days_before: i64, n: i64) -> Member {
    let member = app.member(name).await;
    verified_run(
        app,
        member.id,
        "event_organized",
        cutoff() - Duration::days(days_before),
        n,
    )
    .await;
    member
}

/// A summit request whose eligibility cutoff is [`cutoff`].
pub fn summit_request(programs: Value) -> Value {
    let cut = cutoff();
    json!({"name": "Summit 2027", "city": "Lisbon", "starts_on": cut + Duration::days(90),
           "ends_on": cut + Duration::days(92), "eligibility_cutoff": cut, "programs": programs})
}

/// Creates a summit as staff, asserting 201; returns it.
pub async fn summit(app: &TestApp, staff: &Member, programs: Value) -> Value {
    let response = app
        .post("/v1/summits", Some(&staff.token), &summit_request(programs))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create summit");
    body(response).await
}

/// A summit's programme quota as anyone reads it.
pub async fn programme_quota(app: &TestApp, summit: &str, program: &str) -> Value {
    let response = app.get(&format!("/v1/summits/{summit}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "read summit");
    body(response).await["programs"]
        .as_array()
        .expect("programs")
        .iter()
        .find(|p| p["program"] == program)
        .cloned()
        .unwrap_or_else(|| panic!("programme {program} at the summit"))
}

/// A member's explanation as `token` reads it (200 asserted).
pub async fn explanation(
    app: &TestApp,
    token: &str,
    summit: &str,
    who: &str,
    program: &str,
) -> Value {
    let response = app
        .get(
            &format!("/v1/summits/{summit}/eligibility/{who}?program={program}"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "explanation");
    body(response).await
}
