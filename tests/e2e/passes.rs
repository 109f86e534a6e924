//! Summits and their passes over HTTP: quotas, eligibility with its
//! explanation, bulk issuance (idempotent, in order, within the quota),
//! manual passes, redemption, revocation and appeals — and the races that
//! must never over-issue a quota or give one member two passes.
//!
//! Contributions are arranged directly in the database (verified claims,
//! as staff would have verified them); every assertion goes through HTTP,
//! with SQL read-backs where "nothing was written" or "never more than the
//! quota" must be proved.

use chrono::{Duration, NaiveDate, Utc};
use futures_util::future::join_all;
use liaison_domain::pass_code;
use liaison_tests::{assert_problem, body, count, error_fields, id_of, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{json, Value};
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Arranging
// ---------------------------------------------------------------------------

/// The eligibility cutoff most tests use: a month ago.
fn cutoff() -> NaiveDate {
    Utc::now().date_naive() - Duration::days(30)
}

/// Runs SQL that arranges data.
async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.expect("arrange with SQL");
}

/// One number from SQL (a column `n`).
async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .expect("a number")
}

/// A contribution of `member`, `kind`, on `day`, with `status`.
async fn contribution(app: &TestApp, member: Uuid, kind: &str, day: NaiveDate, status: &str) {
    exec(
        &app.db,
        &format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             VALUES (gen_random_uuid(), '{member}', '{kind}', DATE '{day}', 'arranged', '{status}')"
        ),
    )
    .await;
}

/// `n` verified `kind` contributions of `member` on consecutive days from
/// `first` (one a day).
async fn verified_run(app: &TestApp, member: Uuid, kind: &str, first: NaiveDate, n: i64) {
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
async fn organizer(app: &TestApp, name: &str, days_before: i64, n: i64) -> Member {
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

/// Members registered concurrently, their names `prefix 0`, `prefix 1`, …
async fn members(app: &TestApp, prefix: &str, n: usize) -> Vec<Member> {
    let mut all = Vec::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
        let batch = join_all(chunk.iter().map(|i| {
            let name = format!("{prefix} {i}");
            async move { app.member(&name).await }
        }))
        .await;
        all.extend(batch);
    }
    all
}

/// An API key of a new service account with `scopes`.
async fn api_key(app: &TestApp, scopes: &[&str]) -> String {
    let admin = app.admin().await;
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": format!("pass script {}", &Uuid::new_v4().simple().to_string()[..8]), "scopes": scopes}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "create a service account"
    );
    body(response).await["api_key"]
        .as_str()
        .expect("api key")
        .to_owned()
}

/// A summit request whose eligibility cutoff is [`cutoff`].
fn summit_request(programs: Value) -> Value {
    let cut = cutoff();
    json!({"name": "Summit 2027", "city": "Lisbon", "starts_on": cut + Duration::days(90),
           "ends_on": cut + Duration::days(92), "eligibility_cutoff": cut, "programs": programs})
}

/// Creates a summit as staff, asserting 201; returns it.
async fn summit(app: &TestApp, staff: &Member, programs: Value) -> Value {
    let response = app
        .post("/v1/summits", Some(&staff.token), &summit_request(programs))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create summit");
    body(response).await
}

/// A summit's programme quota as anyone reads it.
async fn quota(app: &TestApp, summit: &str, program: &str) -> Value {
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

/// `POST /v1/summits/{id}/passes/issue` on the server at `base`.
async fn issue_at(
    app: &TestApp,
    base: &str,
    token: &str,
    summit: &str,
    key: Option<&str>,
    request: &Value,
) -> Response {
    let mut builder = app
        .client
        .post(format!("{base}/v1/summits/{summit}/passes/issue"))
        .json(request);
    if !token.is_empty() {
        builder = builder.bearer_auth(token);
    }
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    builder.send().await.expect("issue passes")
}

/// An issuance on the main server that must answer 200; returns its body.
async fn issue(app: &TestApp, token: &str, summit: &str, key: &str, request: &Value) -> Value {
    let response = issue_at(app, &app.address, token, summit, Some(key), request).await;
    assert_eq!(response.status(), StatusCode::OK, "issue passes {request}");
    body(response).await
}

/// The member ids of an issuance, in the order answered.
fn issued_members(result: &Value) -> Vec<String> {
    result["issued"]
        .as_array()
        .expect("issued")
        .iter()
        .map(|i| i["member_id"].as_str().expect("member id").to_owned())
        .collect()
}

/// A manual pass as staff.
async fn manual(
    app: &TestApp,
    staff: &Member,
    summit: &str,
    member: Uuid,
    program: &str,
) -> Response {
    app.post(
        &format!("/v1/summits/{summit}/passes"),
        Some(&staff.token),
        &json!({"member_id": member, "program": program, "reason": "Keynote speaker"}),
    )
    .await
}

/// A manual pass that must be created; returns it.
async fn manual_pass(app: &TestApp, staff: &Member, summit: &str, member: Uuid) -> Value {
    let response = manual(app, staff, summit, member, "acc").await;
    assert_eq!(response.status(), StatusCode::CREATED, "manual pass");
    body(response).await
}

/// Live (not revoked) passes of a summit, counted in SQL.
async fn live_passes(app: &TestApp, summit: &str, program: Option<&str>) -> i64 {
    let program = program
        .map(|p| format!(" AND program = '{p}'"))
        .unwrap_or_default();
    scalar(
        &app.db,
        &format!("SELECT count(*)::bigint AS n FROM passes WHERE summit_id = '{summit}' AND status <> 'revoked'{program}"),
    )
    .await
}

/// Members holding more than one live pass at any summit, counted in SQL.
async fn members_with_two_live_passes(app: &TestApp) -> i64 {
    scalar(
        &app.db,
        "SELECT count(*)::bigint AS n FROM (SELECT summit_id, member_id FROM passes WHERE status <> 'revoked'
         GROUP BY 1, 2 HAVING count(*) > 1) AS twice",
    )
    .await
}

/// A member's explanation as `token` reads it (200 asserted).
async fn explanation(app: &TestApp, token: &str, summit: &str, who: &str, program: &str) -> Value {
    let response = app
        .get(
            &format!("/v1/summits/{summit}/eligibility/{who}?program={program}"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "explanation");
    body(response).await
}

/// One kind's line of an explanation.
fn kind_line<'a>(explained: &'a Value, kind: &str) -> &'a Value {
    explained["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap_or_else(|| panic!("a line for {kind} in {explained}"))
}

/// A pass code as shown: 19 characters, `XXXX-XXXX-XXXX-XXXX`, Crockford
/// base32, with a valid check character.
fn assert_code_shape(code: &str) {
    assert_eq!(code.len(), 19, "{code}");
    for (i, c) in code.chars().enumerate() {
        if [4, 9, 14].contains(&i) {
            assert_eq!(c, '-', "{code}");
        } else {
            assert!(
                pass_code::ALPHABET.contains(&(c as u8)),
                "{c} of {code} is Crockford base32"
            );
        }
    }
    assert_eq!(
        pass_code::parse(code).ok(),
        Some(code.replace('-', "")),
        "{code} carries a valid check character"
    );
}

/// A well-formed code (valid check character) that no pass holds.
fn unknown_code() -> String {
    let mut values = [0u8; 15];
    for (i, v) in values.iter_mut().enumerate() {
        *v = (i as u8 * 7 + 3) % 32;
    }
    pass_code::display(&pass_code::from_random(&values))
}

/// The same code with another check character.
fn with_wrong_check(code: &str) -> String {
    let last = code.chars().last().expect("a last character");
    let other = pass_code::ALPHABET
        .iter()
        .map(|&b| b as char)
        .find(|&c| c != last)
        .expect("another character");
    format!("{}{other}", &code[..code.len() - 1])
}

/// Redeems a code as `token`.
async fn redeem(app: &TestApp, token: &str, code: &str) -> Response {
    app.post("/v1/passes/redeem", Some(token), &json!({"code": code}))
        .await
}

/// Files an appeal as `member`.
async fn appeal(app: &TestApp, member: &Member, summit: &str, program: &str) -> Response {
    app.post(
        &format!("/v1/summits/{summit}/appeals"),
        Some(&member.token),
        &json!({"program": program, "message": "My meetups were on luma, not on meetup."}),
    )
    .await
}

/// Decides an appeal as `token`.
async fn decide(app: &TestApp, token: &str, appeal: &str, outcome: &str, reason: &str) -> Response {
    app.post(
        &format!("/v1/appeals/{appeal}/decision"),
        Some(token),
        &json!({"outcome": outcome, "reason": reason}),
    )
    .await
}

/// A summit's appeals as staff read them.
async fn appeals_of(app: &TestApp, staff: &Member, summit: &str) -> Vec<Value> {
    let response = app
        .get(
            &format!("/v1/summits/{summit}/appeals?limit=200"),
            Some(&staff.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "list appeals");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

/// A member's own passes.
async fn my_passes(app: &TestApp, member: &Member) -> Vec<Value> {
    let response = app.get("/v1/me/passes", Some(&member.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "my passes");
    body(response).await.as_array().expect("an array").clone()
}

fn s(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a string, not {value}"))
        .to_owned()
}

// ---------------------------------------------------------------------------
// Summits
// ---------------------------------------------------------------------------

/// A summit request with `acc` (300 places) and `aoc` (100 places).
fn two_programme_summit() -> Value {
    summit_request(json!([{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]))
}

#[tokio::test]
async fn only_staff_create_summits() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia Member").await;
    let request = two_programme_summit();
    assert_problem(
        app.post("/v1/summits", None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post("/v1/summits", Some(&member.token), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "summits").await, 0);
}

#[tokio::test]
async fn staff_create_a_summit_whose_programmes_take_the_newest_rules() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = app
        .post("/v1/summits", Some(&staff.token), &two_programme_summit())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let created = body(response).await;
    let id = id_of(&created);
    assert_eq!(location, format!("/v1/summits/{id}"));
    assert_eq!(created["name"], "Summit 2027");
    assert_eq!(created["city"], "Lisbon");
    assert_eq!(created["eligibility_cutoff"], cutoff().to_string());
    assert_eq!(
        created["programs"],
        json!([
            {"program": "acc", "rules_version": 1, "quota": 300, "used": 0, "remaining": 300},
            {"program": "aoc", "rules_version": 1, "quota": 100, "used": 0, "remaining": 100},
        ]),
        "rules_version defaults to the newest"
    );
    assert_eq!(count(&app.db, "summit_programs").await, 2);
    assert_eq!(app.audited(&staff, "summit", "summit.created").await, 1);
}

#[tokio::test]
async fn anyone_reads_a_summit_with_its_quotas() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let created = summit(
        &app,
        &staff,
        json!([{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]),
    )
    .await;
    let read = app
        .get(&format!("/v1/summits/{}", id_of(&created)), None)
        .await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(body(read).await, created);
}

#[tokio::test]
async fn anyone_lists_the_summits() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let created = summit(
        &app,
        &staff,
        json!([{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]),
    )
    .await;
    let listed = app.get("/v1/summits", None).await;
    assert_eq!(listed.status(), StatusCode::OK);
    let listed = body(listed).await;
    assert_eq!(listed["items"], json!([created]));
    assert_eq!(listed["next_cursor"], Value::Null);
}

#[tokio::test]
async fn a_pass_uses_a_place_of_its_programmes_quota() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let id = id_of(
        &summit(
            &app,
            &staff,
            json!([{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]),
        )
        .await,
    );
    manual_pass(&app, &staff, &id, member.id).await;
    assert_eq!(
        quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 300, "used": 1, "remaining": 299})
    );
    assert_eq!(quota(&app, &id, "aoc").await["used"], 0);
}

#[tokio::test]
async fn an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get(&format!("/v1/summits/{}", Uuid::now_v7()), None)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_invalid_summit_names_every_bad_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let cut = cutoff();
    let request = json!({"name": "Summit 2027", "city": "Lisbon", "starts_on": cut + Duration::days(10),
        "ends_on": cut + Duration::days(9), "eligibility_cutoff": cut,
        "programs": [{"program": "nope", "quota": 10}, {"program": "acc", "rules_version": 7, "quota": 10},
                     {"program": "aoc", "quota": -1}]});
    let problem = assert_problem(
        app.post("/v1/summits", Some(&staff.token), &request).await,
        422,
        "validation_failed",
    )
    .await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        [
            "ends_on",
            "programs[0].program",
            "programs[1].rules_version",
            "programs[2].quota"
        ],
        "{problem}"
    );
    let codes: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert!(codes.contains(&"unknown_program"), "{problem}");
    assert!(codes.contains(&"unknown_version"), "{problem}");

    let none = assert_problem(
        app.post(
            "/v1/summits",
            Some(&staff.token),
            &summit_request(json!([])),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&none), ["programs"]);

    let twice = assert_problem(
        app.post(
            "/v1/summits",
            Some(&staff.token),
            &summit_request(
                json!([{"program": "acc", "quota": 1}, {"program": "acc", "quota": 2}]),
            ),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&twice), ["programs[1].program"]);

    assert_eq!(count(&app.db, "summits").await, 0);
    assert_eq!(count(&app.db, "summit_programs").await, 0);
    let listed = body(app.get("/v1/summits", None).await).await;
    assert_eq!(listed["items"], json!([]));
}

/// A summit with an `acc` quota of 5 and two manual passes; returns its id.
async fn five_places_two_taken(app: &TestApp, staff: &Member) -> String {
    let created = summit(app, staff, json!([{"program": "acc", "quota": 5}])).await;
    let id = id_of(&created);
    for _ in 0..2 {
        let holder = app.member("Holder").await;
        manual_pass(app, staff, &id, holder.id).await;
    }
    id
}

/// The quota of [`five_places_two_taken`] as it was arranged.
fn five_with_two_used() -> Value {
    json!({"program": "acc", "rules_version": 1, "quota": 5, "used": 2, "remaining": 3})
}

#[tokio::test]
async fn only_staff_change_a_summit() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let id = five_places_two_taken(&app, &staff).await;
    let path = format!("/v1/summits/{id}");
    let lower = json!({"programs": [{"program": "acc", "quota": 1}]});
    assert_problem(
        app.send_json(Method::PATCH, &path, None, &lower).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.send_json(Method::PATCH, &path, Some(&member.token), &lower)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        quota(&app, &id, "acc").await,
        five_with_two_used(),
        "nothing changed"
    );
}

#[tokio::test]
async fn a_quota_never_goes_below_the_passes_already_issued() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let id = five_places_two_taken(&app, &staff).await;
    let path = format!("/v1/summits/{id}");
    let lower = json!({"programs": [{"program": "acc", "quota": 1}]});
    let problem = assert_problem(
        app.send_json(Method::PATCH, &path, Some(&staff.token), &lower)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["programs[0].quota"]);
    assert_eq!(problem["errors"][0]["code"], "quota_below_issued");
    assert_eq!(
        quota(&app, &id, "acc").await,
        five_with_two_used(),
        "nothing changed"
    );
    // Exactly the passes issued is fine, and so is more.
    let exact = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"programs": [{"program": "acc", "quota": 2}]}),
        )
        .await;
    assert_eq!(exact.status(), StatusCode::OK);
    assert_eq!(body(exact).await["programs"][0]["remaining"], 0);
    assert_problem(
        manual(&app, &staff, &id, member.id, "acc").await,
        409,
        "quota_exhausted",
    )
    .await;
    let raised = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"programs": [{"program": "acc", "quota": 40}]}),
        )
        .await;
    assert_eq!(raised.status(), StatusCode::OK);
    assert_eq!(
        quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 40, "used": 2, "remaining": 38})
    );
}

#[tokio::test]
async fn a_quota_for_a_programme_the_summit_lacks_is_422() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = five_places_two_taken(&app, &staff).await;
    let unknown = assert_problem(
        app.send_json(
            Method::PATCH,
            &format!("/v1/summits/{id}"),
            Some(&staff.token),
            &json!({"programs": [{"program": "aoc", "quota": 3}]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&unknown), ["programs[0].program"]);
    assert_eq!(
        quota(&app, &id, "acc").await,
        five_with_two_used(),
        "nothing changed"
    );
}

#[tokio::test]
async fn changing_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lower = json!({"programs": [{"program": "acc", "quota": 1}]});
    assert_problem(
        app.send_json(
            Method::PATCH,
            &format!("/v1/summits/{}", Uuid::now_v7()),
            Some(&staff.token),
            &lower,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

/// Publishes `acc` rules version 2 (threshold 40), asserting 201.
async fn publish_acc_v2(app: &TestApp, staff: &Member) {
    let published = app
        .post(
            "/v1/recognition-programs/acc/rules",
            Some(&staff.token),
            &json!({"window_days": 365, "threshold_points": 40,
                    "kinds": [{"kind": "event_organized", "points": 2, "max_count": 12}]}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::CREATED);
    assert_eq!(body(published).await["current_version"], 2);
}

#[tokio::test]
async fn a_summit_keeps_the_rules_version_it_was_created_with() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let olga = organizer(&app, "Olga Organizer", 200, 6).await; // 12 points under v1
    let before = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let v1 = explanation(&app, &olga.token, &before, "me", "acc").await;
    assert_eq!(v1["rules_version"], 1);
    assert_eq!(v1["eligible"], true);
    publish_acc_v2(&app, &staff).await;
    // The same explanation, the same eligible list, the same quota view.
    assert_eq!(
        explanation(&app, &olga.token, &before, "me", "acc").await,
        v1
    );
    assert_eq!(quota(&app, &before, "acc").await["rules_version"], 1);
    let eligible = body(
        app.get(
            &format!("/v1/summits/{before}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(eligible.as_array().map(Vec::len), Some(1), "{eligible}");
    assert_eq!(eligible[0]["member_id"], olga.id.to_string());
    let issued = issue(
        &app,
        &staff.token,
        &before,
        "after-v2",
        &json!({"program": "acc"}),
    )
    .await;
    assert_eq!(issued_members(&issued), [olga.id.to_string()]);
}

#[tokio::test]
async fn a_summit_created_after_new_rules_uses_them_unless_it_pins_a_version() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let olga = organizer(&app, "Olga Organizer", 200, 6).await; // 12 points under v1
    publish_acc_v2(&app, &staff).await;
    let after = summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await;
    assert_eq!(after["programs"][0]["rules_version"], 2);
    let after = id_of(&after);
    let v2 = explanation(&app, &olga.token, &after, "me", "acc").await;
    assert_eq!(v2["rules_version"], 2);
    assert_eq!(v2["threshold_points"], 40);
    assert_eq!(v2["eligible"], false);
    assert_eq!(v2["points"], 12);
    assert_eq!(v2["points_missing"], 28);
    let none = body(
        app.get(
            &format!("/v1/summits/{after}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(none, json!([]));
    let pinned = summit(
        &app,
        &staff,
        json!([{"program": "acc", "rules_version": 1, "quota": 10}]),
    )
    .await;
    assert_eq!(pinned["programs"][0]["rules_version"], 1);
    assert_eq!(
        explanation(&app, &olga.token, &id_of(&pinned), "me", "acc").await["eligible"],
        true
    );
}

// ---------------------------------------------------------------------------
// Eligibility
// ---------------------------------------------------------------------------

/// The day `before` days before the cutoff.
fn before_cutoff(before: i64) -> NaiveDate {
    cutoff() - Duration::days(before)
}

/// Eve, with verified organized events on the window's edges, six verified
/// talks (four count), two pending talks (one in the window) and a rejected
/// documentation; and a summit with an `acc` quota of 10: `(eve, summit id)`.
async fn eve_on_the_edges(app: &TestApp, staff: &Member) -> (Member, String) {
    let eve = app.member("Eve Edge").await;
    // event_organized (2 points, max 12): the window is (cutoff − 365, cutoff].
    for d in [
        before_cutoff(365),
        before_cutoff(364),
        before_cutoff(0),
        before_cutoff(-1),
    ] {
        contribution(app, eve.id, "event_organized", d, "verified").await;
    }
    // talk_given (3 points, max 4): six in the window, the four most recent count.
    for before in [300, 250, 200, 150, 100, 50] {
        contribution(app, eve.id, "talk_given", before_cutoff(before), "verified").await;
    }
    contribution(app, eve.id, "talk_given", before_cutoff(10), "pending").await;
    contribution(app, eve.id, "talk_given", before_cutoff(400), "pending").await;
    contribution(app, eve.id, "documentation", before_cutoff(5), "rejected").await;
    let id = id_of(&summit(app, staff, json!([{"program": "acc", "quota": 10}])).await);
    (eve, id)
}

#[tokio::test]
async fn an_explanation_counts_the_window_and_caps_the_most_recent() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let cut = cutoff();
    let (eve, id) = eve_on_the_edges(&app, &staff).await;
    let explained = explanation(&app, &eve.token, &id, "me", "acc").await;
    assert_eq!(explained["member_id"], eve.id.to_string());
    assert_eq!(explained["program"], "acc");
    assert_eq!(explained["rules_version"], 1);
    assert_eq!(explained["window_start"], before_cutoff(364).to_string());
    assert_eq!(explained["cutoff"], cut.to_string());
    assert_eq!(
        kind_line(&explained, "event_organized"),
        &json!({"kind": "event_organized", "verified": 2, "counted": 2, "capped": 0, "points_each": 2, "points": 4}),
        "cutoff − 365 and cutoff + 1 are out, cutoff − 364 and the cutoff are in"
    );
    assert_eq!(
        kind_line(&explained, "talk_given"),
        &json!({"kind": "talk_given", "verified": 6, "counted": 4, "capped": 2, "points_each": 3, "points": 12})
    );
    assert_eq!(kind_line(&explained, "documentation")["verified"], 0);
    assert_eq!(
        explained["pending"], 1,
        "only the pending claim in the window"
    );
    assert_eq!(explained["points"], 16);
    assert_eq!(explained["threshold_points"], 10);
    assert_eq!(explained["points_missing"], 0);
    assert_eq!(explained["eligible"], true);
    assert_eq!(explained["has_pass"], false);
    // The most recent talks count (−200, −150, −100, −50): with the day −364
    // event the running total reaches 10 on day −100 (the oldest would have
    // reached it on day −200).
    assert_eq!(explained["reached_on"], before_cutoff(100).to_string());
}

#[tokio::test]
async fn the_eligible_list_agrees_with_the_explanation() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (eve, id) = eve_on_the_edges(&app, &staff).await;
    let listed = body(
        app.get(
            &format!("/v1/summits/{id}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(
        listed,
        json!([{"member_id": eve.id.to_string(), "display_name": "Eve Edge", "points": 16,
                "reached_on": before_cutoff(100).to_string(), "has_pass": false}])
    );
    let explained = explanation(&app, &eve.token, &id, "me", "acc").await;
    assert_eq!(listed[0]["points"], explained["points"]);
    assert_eq!(listed[0]["reached_on"], explained["reached_on"]);
}

#[tokio::test]
async fn an_explanation_short_of_the_threshold_says_what_is_missing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let dan = app.member("Dan Dabbler").await;
    verified_run(&app, dan.id, "event_organized", before_cutoff(20), 2).await;
    contribution(&app, dan.id, "mentoring", before_cutoff(3), "pending").await;
    let short = explanation(&app, &dan.token, &id, "me", "acc").await;
    assert_eq!(short["eligible"], false);
    assert_eq!(short["points"], 4);
    assert_eq!(short["points_missing"], 6);
    assert_eq!(short["pending"], 1);
    assert_eq!(short["reached_on"], Value::Null);
    let nobody = app.member("Nina Nothing").await;
    let empty = explanation(&app, &nobody.token, &id, "me", "acc").await;
    assert_eq!(empty["points"], 0);
    assert_eq!(empty["points_missing"], 10);
    assert!(empty["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .all(|k| k["verified"] == 0 && k["points"] == 0));
}

#[tokio::test]
async fn an_explanation_says_when_the_member_holds_a_pass() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (eve, id) = eve_on_the_edges(&app, &staff).await;
    assert_eq!(
        explanation(&app, &eve.token, &id, "me", "acc").await["has_pass"],
        false
    );
    manual_pass(&app, &staff, &id, eve.id).await;
    assert_eq!(
        explanation(&app, &eve.token, &id, "me", "acc").await["has_pass"],
        true
    );
}

/// Olga (12 points) and a summit with an `acc` quota of 10: `(staff, olga, summit id)`.
async fn olga_at_a_summit(app: &TestApp) -> (Member, Member, String) {
    let staff = app.staff().await;
    let olga = organizer(app, "Olga Organizer", 100, 6).await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    (staff, olga, id)
}

#[tokio::test]
async fn only_the_member_staff_and_passes_read_keys_read_an_explanation() {
    let app = TestApp::spawn().await;
    let (staff, olga, id) = olga_at_a_summit(&app).await;
    let other = app.member("Nosy Neighbour").await;
    let reader = api_key(&app, &["passes:read"]).await;
    let issuer = api_key(&app, &["passes:issue"]).await;
    let path = format!("/v1/summits/{id}/eligibility/{}?program=acc", olga.id);
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/eligibility/me?program=acc"),
            None,
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(app.get(&path, Some(&other.token)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, Some(&issuer)).await, 403, "forbidden").await;
    let own = explanation(&app, &olga.token, &id, "me", "acc").await;
    assert_eq!(own["points"], 12);
    let by_id = explanation(&app, &olga.token, &id, &olga.id.to_string(), "acc").await;
    assert_eq!(by_id, own);
    assert_eq!(
        explanation(&app, &staff.token, &id, &olga.id.to_string(), "acc").await,
        own
    );
    assert_eq!(
        explanation(&app, &reader, &id, &olga.id.to_string(), "acc").await,
        own
    );
}

#[tokio::test]
async fn the_explanation_of_an_unknown_member_or_at_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let (staff, olga, id) = olga_at_a_summit(&app).await;
    assert_problem(
        app.get(
            &format!(
                "/v1/summits/{id}/eligibility/{}?program=acc",
                Uuid::now_v7()
            ),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{}/eligibility/me?program=acc", Uuid::now_v7()),
            Some(&olga.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_explanation_needs_a_programme_of_the_summit() {
    let app = TestApp::spawn().await;
    let (_, olga, id) = olga_at_a_summit(&app).await;
    for program in ["aoc", "nope"] {
        let problem = assert_problem(
            app.get(
                &format!("/v1/summits/{id}/eligibility/me?program={program}"),
                Some(&olga.token),
            )
            .await,
            400,
            "malformed_request",
        )
        .await;
        assert_eq!(error_fields(&problem), ["program"]);
    }
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/eligibility/me"),
            Some(&olga.token),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
}

/// Six organizers, five of them eligible, and a summit with an `acc` quota
/// of 10: the staff member, the eligible members' ids in issuance order
/// (points desc, then the day the threshold was reached, then member id),
/// and the summit's id.
async fn five_eligible_of_six(app: &TestApp) -> (Member, Vec<String>, String) {
    let staff = app.staff().await;
    let p = organizer(app, "Pia Plenty", 100, 8).await; // 16 points
    let q = organizer(app, "Quinn Quick", 200, 6).await; // 12, reached day −196
    let r = organizer(app, "Rita Recent", 50, 6).await; // 12, reached day −46
    let s1 = organizer(app, "Sam Same", 30, 5).await; // 10, reached day −26
    let s2 = organizer(app, "Sue Same", 30, 5).await; // 10, reached day −26
    let _u = organizer(app, "Uma Under", 30, 4).await; // 8: not eligible
    let (first, second) = if s1.id < s2.id {
        (&s1, &s2)
    } else {
        (&s2, &s1)
    };
    let expected: Vec<String> = [&p, &q, &r, first, second]
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    (staff, expected, id)
}

#[tokio::test]
async fn staff_and_readers_list_every_eligible_member_in_issuance_order() {
    let app = TestApp::spawn().await;
    let (staff, expected, id) = five_eligible_of_six(&app).await;
    let reader = api_key(&app, &["passes:read"]).await;
    let path = format!("/v1/summits/{id}/eligibility?program=acc");
    for token in [&staff.token, &reader] {
        let response = app.get(&path, Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let listed = body(response).await;
        let rows = listed.as_array().expect("an array");
        let ids: Vec<String> = rows.iter().map(|e| s(&e["member_id"])).collect();
        assert_eq!(ids, expected);
        let points: Vec<i64> = rows
            .iter()
            .map(|e| e["points"].as_i64().expect("points"))
            .collect();
        assert_eq!(points, [16, 12, 12, 10, 10]);
        assert_eq!(
            rows[1]["reached_on"],
            (cutoff() - Duration::days(196)).to_string()
        );
        assert_eq!(
            rows[2]["reached_on"],
            (cutoff() - Duration::days(46)).to_string()
        );
        assert_eq!(rows[0]["display_name"], "Pia Plenty");
    }
}

#[tokio::test]
async fn the_eligible_list_exports_as_csv_in_issuance_order() {
    let app = TestApp::spawn().await;
    let (_, expected, id) = five_eligible_of_six(&app).await;
    let reader = api_key(&app, &["passes:read"]).await;
    let path = format!("/v1/summits/{id}/eligibility?program=acc");
    let csv = app
        .call(Method::GET, &path, Some(&reader))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .expect("content type")
        .starts_with("text/csv"));
    let text = csv.text().await.expect("csv text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "member_id,display_name,points,reached_on,has_pass"
    );
    assert_eq!(lines.len(), 6, "{text}");
    for (line, member) in lines[1..].iter().zip(&expected) {
        assert!(line.starts_with(member.as_str()), "{line} for {member}");
    }
    assert!(lines[1].contains(",Pia Plenty,16,"), "{}", lines[1]);
}

#[tokio::test]
async fn only_staff_and_passes_read_keys_list_the_eligible_members() {
    let app = TestApp::spawn().await;
    let (_, _, id) = five_eligible_of_six(&app).await;
    let issuer = api_key(&app, &["passes:issue"]).await;
    let path = format!("/v1/summits/{id}/eligibility?program=acc");
    let member = app.member("Mia Member").await;
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(&path, Some(&member.token)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, Some(&issuer)).await, 403, "forbidden").await;
}

#[tokio::test]
async fn the_eligible_list_needs_a_programme_of_a_known_summit() {
    let app = TestApp::spawn().await;
    let (staff, _, id) = five_eligible_of_six(&app).await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/eligibility?program=aoc"),
            Some(&staff.token),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{}/eligibility?program=acc", Uuid::now_v7()),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

// ---------------------------------------------------------------------------
// Bulk issuance
// ---------------------------------------------------------------------------

#[tokio::test]
async fn bulk_issuance_needs_an_idempotency_key() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    organizer(&app, "Pia Plenty", 100, 8).await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let keys_before = count(&app.db, "idempotency_keys").await;
    let missing = assert_problem(
        issue_at(
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
        issue_at(
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
    let dry = issue(
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
    let limited = issue(
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
    assert_eq!(quota(&app, &id, "acc").await["used"], 0);
    assert_eq!(app.audited(&staff, "summit", "passes.issued").await, 0);
    // The real run, with the dry run's key: it was never stored, so it acts.
    let real = issue(&app, &staff.token, &id, "dry", &json!({"program": "acc"})).await;
    assert_eq!(real["dry_run"], false);
    let mut got = issued_members(&real);
    got.sort();
    let mut want = vec![p.id.to_string(), q.id.to_string()];
    want.sort();
    assert_eq!(got, want);
    assert!(!got.contains(&r.id.to_string()));
    assert_eq!(count(&app.db, "passes").await, 2);
}

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
    let issuer = api_key(app, &["passes:issue"]).await;
    let reader = api_key(app, &["passes:read"]).await;
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
async fn only_staff_and_passes_issue_keys_issue_in_bulk() {
    let app = TestApp::spawn().await;
    let Issuance {
        id, reader, member, ..
    } = five_eligible_four_places(&app).await;
    let request = json!({"program": "acc", "max": 1});
    let keys_before = count(&app.db, "idempotency_keys").await;
    assert_problem(
        issue_at(&app, &app.address, "", &id, Some("x"), &request).await,
        401,
        "unauthenticated",
    )
    .await;
    for token in [&member.token, &reader] {
        assert_problem(
            issue_at(&app, &app.address, token, &id, Some("x"), &request).await,
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
        issue_at(
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
    assert_problem(
        issue_at(
            &app,
            &app.address,
            &issuer,
            &id,
            Some("x"),
            &json!({"program": "aoc"}),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        issue_at(
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
    let one = issue_at(&app, &app.address, &issuer, &id, Some("run-1"), &request).await;
    assert_eq!(one.status(), StatusCode::OK);
    let one_bytes = one.bytes().await.expect("body");
    let replay = issue_at(&app, &app.address, &issuer, &id, Some("run-1"), &request).await;
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(replay.bytes().await.expect("body"), one_bytes);
    assert_eq!(count(&app.db, "passes").await, 1);
}

#[tokio::test]
async fn a_bulk_issuance_key_sent_with_another_body_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let Issuance { id, issuer, .. } = five_eligible_four_places(&app).await;
    issue(
        &app,
        &issuer,
        &id,
        "run-1",
        &json!({"program": "acc", "max": 1}),
    )
    .await;
    assert_problem(
        issue_at(
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
    let one = issue(
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
    assert_code_shape(&s(&pass["code"]));
    // `max` 2: equal points, the earlier threshold first.
    let two = issue(
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
    let rest = issue(&app, &staff.token, &id, "run-3", &json!({"program": "acc"})).await;
    assert_eq!(issued_members(&rest), [first.id.to_string()]);
    assert_eq!(rest["used"], 4);
    assert_eq!(rest["remaining"], 0);
    let more = issue(&app, &staff.token, &id, "run-4", &json!({"program": "acc"})).await;
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
            let code = s(&i["pass"]["code"]);
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

    let acc = issue(&app, &staff.token, &id, "acc", &json!({"program": "acc"})).await;
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
    .await;
    let holder = aoc_list
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["member_id"] == both.id.to_string())
        .cloned()
        .expect("both in the aoc list");
    assert_eq!(holder["has_pass"], true);
    let dry = issue(
        &app,
        &staff.token,
        &id,
        "aoc-dry",
        &json!({"program": "aoc", "dry_run": true}),
    )
    .await;
    assert_eq!(issued_members(&dry), [aoc_only.id.to_string()]);
    let aoc = issue(&app, &staff.token, &id, "aoc", &json!({"program": "aoc"})).await;
    assert_eq!(issued_members(&aoc), [aoc_only.id.to_string()]);
    assert_eq!(my_passes(&app, &both).await.len(), 1);
    // Nor by hand, in either programme.
    for program in ["aoc", "acc"] {
        assert_problem(
            manual(&app, &staff, &id, both.id, program).await,
            409,
            "already_has_pass",
        )
        .await;
    }
    assert_eq!(count(&app.db, "passes").await, 3);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
}

// ---------------------------------------------------------------------------
// Manual passes
// ---------------------------------------------------------------------------

/// Kim and Oli, and a summit with `acc` (1 place) and `aoc` (5 places):
/// `(staff, kim, oli, summit id)`.
async fn one_acc_place(app: &TestApp) -> (Member, Member, Member, String) {
    let staff = app.staff().await;
    let speaker = app.member("Kim Keynote").await;
    let other = app.member("Oli Other").await;
    let id = id_of(
        &summit(
            app,
            &staff,
            json!([{"program": "acc", "quota": 1}, {"program": "aoc", "quota": 5}]),
        )
        .await,
    );
    (staff, speaker, other, id)
}

#[tokio::test]
async fn only_staff_issue_manual_passes() {
    let app = TestApp::spawn().await;
    let (_, speaker, _, id) = one_acc_place(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    let request = json!({"member_id": speaker.id, "program": "acc", "reason": "Keynote speaker"});
    assert_problem(
        app.post(&path, None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post(&path, Some(&speaker.token), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn a_manual_pass_needs_a_reason_a_known_member_and_a_programme_of_the_summit() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, id) = one_acc_place(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    let reason = assert_problem(
        app.post(
            &path,
            Some(&staff.token),
            &json!({"member_id": speaker.id, "program": "acc", "reason": "  "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&reason), ["reason"]);
    let unknown = assert_problem(
        app.post(
            &path,
            Some(&staff.token),
            &json!({"member_id": Uuid::now_v7(), "program": "acc", "reason": "Keynote"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&unknown), ["member_id"]);
    let program = assert_problem(
        app.post(
            &path,
            Some(&staff.token),
            &json!({"member_id": speaker.id, "program": "nope", "reason": "Keynote"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&program), ["program"]);
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn a_manual_pass_at_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, _) = one_acc_place(&app).await;
    let request = json!({"member_id": speaker.id, "program": "acc", "reason": "Keynote speaker"});
    assert_problem(
        app.post(
            &format!("/v1/summits/{}/passes", Uuid::now_v7()),
            Some(&staff.token),
            &request,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn staff_issue_a_manual_pass_with_a_reason() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, id) = one_acc_place(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    let request = json!({"member_id": speaker.id, "program": "acc", "reason": "Keynote speaker"});
    let response = app.post(&path, Some(&staff.token), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let pass = body(response).await;
    assert_eq!(pass["member_id"], speaker.id.to_string());
    assert_eq!(pass["origin"], "manual");
    assert_eq!(pass["reason"], "Keynote speaker");
    assert_eq!(pass["status"], "issued");
    assert_code_shape(&s(&pass["code"]));
    assert_eq!(my_passes(&app, &speaker).await, vec![pass.clone()]);
    assert_eq!(app.audited(&staff, "pass", "pass.issued").await, 1);
}

#[tokio::test]
async fn a_member_with_a_pass_gets_no_second_one_by_hand_in_another_programme() {
    let app = TestApp::spawn().await;
    let (staff, speaker, _, id) = one_acc_place(&app).await;
    manual_pass(&app, &staff, &id, speaker.id).await;
    assert_problem(
        manual(&app, &staff, &id, speaker.id, "aoc").await,
        409,
        "already_has_pass",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(quota(&app, &id, "aoc").await["used"], 0);
}

#[tokio::test]
async fn a_manual_pass_beyond_the_quota_is_409_quota_exhausted() {
    let app = TestApp::spawn().await;
    let (staff, speaker, other, id) = one_acc_place(&app).await;
    manual_pass(&app, &staff, &id, speaker.id).await;
    // The acc quota of 1 is used.
    assert_problem(
        manual(&app, &staff, &id, other.id, "acc").await,
        409,
        "quota_exhausted",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(quota(&app, &id, "acc").await["remaining"], 0);
    assert_eq!(app.audited(&staff, "pass", "pass.issued").await, 1);
}

// ---------------------------------------------------------------------------
// Listing and exporting passes
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_stale_if_match_on_a_summit_is_412_and_changes_no_quota() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let response = app.get(&format!("/v1/summits/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    let before = body(response).await;
    let change = json!({"programs": [{"program": "acc", "quota": 20}]});
    let path = format!("/v1/summits/{id}");
    assert_problem(
        app.patch_if_match(&path, &staff.token, Some("\"stale\""), &change)
            .await,
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(
        body(app.get(&format!("/v1/summits/{id}"), None).await).await,
        before
    );
    let changed = app
        .patch_if_match(&path, &staff.token, Some(&tag), &change)
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(body(changed).await, before);
}

#[tokio::test]
async fn a_passes_read_key_sees_emails_only_with_the_members_email_scope() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    manual_pass(&app, &staff, &id, holder.id).await;
    let export = |token: String| {
        let (app, id) = (&app, id.clone());
        async move {
            let response = app
                .call(
                    Method::GET,
                    &format!("/v1/summits/{id}/passes"),
                    Some(&token),
                )
                .header("Accept", "text/csv")
                .send()
                .await
                .expect("csv");
            assert_eq!(response.status(), StatusCode::OK);
            let text = response.text().await.expect("csv text");
            let row: Vec<String> = text
                .lines()
                .nth(1)
                .expect("one pass")
                .split(',')
                .map(str::to_owned)
                .collect();
            (text.lines().next().map(str::to_owned), row[2].clone())
        }
    };
    let header = Some(
        "id,member_id,email,display_name,program,code,status,points,origin,issued_at".to_owned(),
    );
    // Act and assert: the same columns for all, the email only for some.
    let reader = api_key(&app, &["passes:read"]).await;
    assert_eq!(export(reader).await, (header.clone(), String::new()));
    let mailer = api_key(&app, &["passes:read", "members:email"]).await;
    assert_eq!(export(mailer).await, (header.clone(), holder.email.clone()));
    assert_eq!(
        export(staff.token.clone()).await,
        (header, holder.email.clone())
    );
}

/// Five holders of passes at a summit with `acc` and `aoc` (three acc, two
/// aoc; the first redeemed, the last revoked), an outsider holding a pass
/// at another summit, and a reading and an issuing key.
struct Listed {
    staff: Member,
    reader: String,
    issuer: String,
    people: Vec<Member>,
    outsider: Member,
    id: String,
    other_summit: String,
    passes: Vec<Value>,
}

async fn five_passes(app: &TestApp) -> Listed {
    let staff = app.staff().await;
    let reader = api_key(app, &["passes:read"]).await;
    let issuer = api_key(app, &["passes:issue"]).await;
    let people = members(app, "Holder", 5).await;
    let outsider = app.member("Oli Outsider").await;
    let id = id_of(
        &summit(
            app,
            &staff,
            json!([{"program": "acc", "quota": 10}, {"program": "aoc", "quota": 10}]),
        )
        .await,
    );
    let other_summit = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    manual_pass(app, &staff, &other_summit, outsider.id).await;
    let mut passes = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let program = if i < 3 { "acc" } else { "aoc" };
        let response = manual(app, &staff, &id, person.id, program).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        passes.push(body(response).await);
    }
    let redeemed = redeem(app, &staff.token, &s(&passes[0]["code"])).await;
    assert_eq!(redeemed.status(), StatusCode::OK);
    let revoked = app
        .post(
            &format!("/v1/passes/{}/revoke", id_of(&passes[4])),
            Some(&staff.token),
            &json!({"reason": "cannot come"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    Listed {
        staff,
        reader,
        issuer,
        people,
        outsider,
        id,
        other_summit,
        passes,
    }
}

/// `GET /v1/summits/{id}/passes{query}` as `token`, asserting 200.
async fn pass_page(app: &TestApp, id: &str, query: &str, token: &str) -> Value {
    let response = app
        .get(&format!("/v1/summits/{id}/passes{query}"), Some(token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "list {query}");
    body(response).await
}

/// The ids of a page's items, in order.
fn pass_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id_of)
        .collect()
}

#[tokio::test]
async fn staff_and_readers_list_a_summits_passes_filtered_by_programme_and_status() {
    let app = TestApp::spawn().await;
    let Listed {
        staff,
        reader,
        id,
        passes,
        ..
    } = five_passes(&app).await;
    let all = pass_page(&app, &id, "", &staff.token).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(all["next_cursor"], Value::Null);
    assert_eq!(pass_page(&app, &id, "", &reader).await, all);
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?program=acc", &reader).await).len(),
        3
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?program=aoc", &reader).await).len(),
        2
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?status=redeemed", &reader).await),
        [id_of(&passes[0])]
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?status=revoked", &reader).await),
        [id_of(&passes[4])]
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?status=issued", &reader).await).len(),
        3
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?program=aoc&status=issued", &reader).await),
        [id_of(&passes[3])]
    );
}

#[tokio::test]
async fn a_summits_passes_page_in_a_stable_order_covering_each_once() {
    let app = TestApp::spawn().await;
    let Listed { staff, id, .. } = five_passes(&app).await;
    let all = pass_page(&app, &id, "", &staff.token).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/v1/summits/{id}/passes?limit=2&cursor={c}"),
            None => format!("/v1/summits/{id}/passes?limit=2"),
        };
        let page = body(app.get(&path, Some(&staff.token)).await).await;
        assert!(page["items"].as_array().expect("items").len() <= 2);
        seen.extend(pass_ids(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, pass_ids(&all));
}

#[tokio::test]
async fn a_summits_passes_export_as_csv_with_emails_for_a_members_email_key() {
    let app = TestApp::spawn().await;
    let Listed {
        staff,
        people,
        outsider,
        id,
        passes,
        ..
    } = five_passes(&app).await;
    // A header and one row per pass, with the member's email for a key that
    // was given `members:email`.
    let mailer = api_key(&app, &["passes:read", "members:email"]).await;
    let csv = app
        .call(
            Method::GET,
            &format!("/v1/summits/{id}/passes"),
            Some(&mailer),
        )
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .expect("content type")
        .starts_with("text/csv"));
    let text = csv.text().await.expect("csv text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,member_id,email,display_name,program,code,status,points,origin,issued_at"
    );
    assert_eq!(lines.len(), 6, "{text}");
    for (person, pass) in people.iter().zip(&passes) {
        let row = lines
            .iter()
            .find(|l| l.starts_with(&id_of(pass)))
            .unwrap_or_else(|| panic!("a row for {pass}"));
        assert!(row.contains(&person.email), "{row}");
        assert!(row.contains(&s(&pass["code"])), "{row}");
    }
    assert!(!text.contains(&outsider.email), "only this summit's passes");
    let acc_csv = app
        .call(
            Method::GET,
            &format!("/v1/summits/{id}/passes?program=acc"),
            Some(&staff.token),
        )
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("csv text");
    assert_eq!(acc_csv.lines().count(), 4, "{acc_csv}");
}

#[tokio::test]
async fn only_staff_and_passes_read_keys_list_a_summits_passes() {
    let app = TestApp::spawn().await;
    let Listed {
        issuer, people, id, ..
    } = five_passes(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(
        app.get(&path, Some(&people[0].token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get(&path, Some(&issuer)).await, 403, "forbidden").await;
}

#[tokio::test]
async fn an_unknown_status_filter_on_a_summits_passes_is_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/passes?status=lost"),
            Some(&staff.token),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn the_passes_of_an_unknown_summit_are_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{}/passes", Uuid::now_v7()),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn members_see_only_their_own_passes() {
    let app = TestApp::spawn().await;
    let Listed {
        staff,
        people,
        outsider,
        other_summit,
        passes,
        ..
    } = five_passes(&app).await;
    let mine = my_passes(&app, &people[1]).await;
    assert_eq!(mine, vec![passes[1].clone()]);
    let theirs = my_passes(&app, &outsider).await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["summit_id"], other_summit);
    assert_eq!(my_passes(&app, &staff).await, Vec::<Value>::new());
}

#[tokio::test]
async fn my_passes_need_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/me/passes", None).await, 401, "unauthenticated").await;
}

// ---------------------------------------------------------------------------
// Redemption
// ---------------------------------------------------------------------------

/// A door key, a reading key, and two manual passes (Hana's and Otto's) at
/// a summit: `(staff, door, reader, hana, hana's pass, otto's pass)`.
async fn two_passes_and_a_door(app: &TestApp) -> (Member, String, String, Member, Value, Value) {
    let staff = app.staff().await;
    let door = api_key(app, &["passes:redeem"]).await;
    let reader = api_key(app, &["passes:read"]).await;
    let holder = app.member("Hana Holder").await;
    let other = app.member("Otto Other").await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(app, &staff, &id, holder.id).await;
    let other_pass = manual_pass(app, &staff, &id, other.id).await;
    (staff, door, reader, holder, pass, other_pass)
}

#[tokio::test]
async fn only_staff_and_passes_redeem_keys_redeem_a_code() {
    let app = TestApp::spawn().await;
    let (_, _, reader, holder, pass, _) = two_passes_and_a_door(&app).await;
    let code = s(&pass["code"]);
    assert_problem(
        app.post("/v1/passes/redeem", None, &json!({"code": code}))
            .await,
        401,
        "unauthenticated",
    )
    .await;
    for token in [&holder.token, &reader] {
        assert_problem(redeem(&app, token, &code).await, 403, "forbidden").await;
    }
    assert_eq!(
        my_passes(&app, &holder).await[0]["status"],
        "issued",
        "nothing redeemed"
    );
}

#[tokio::test]
async fn a_mistyped_or_garbage_code_is_422_and_an_unknown_one_404() {
    let app = TestApp::spawn().await;
    let (_, door, _, holder, pass, _) = two_passes_and_a_door(&app).await;
    let code = s(&pass["code"]);
    let mistyped = assert_problem(
        redeem(&app, &door, &with_wrong_check(&code)).await,
        422,
        "invalid_code",
    )
    .await;
    assert_eq!(error_fields(&mistyped), ["code"]);
    for garbage in [
        "",
        "hello",
        "ABCD-EFGH",
        "UUUU-UUUU-UUUU-UUUU",
        "ABCD-EFGH-JKMN-PQR!",
    ] {
        assert_problem(redeem(&app, &door, garbage).await, 422, "invalid_code").await;
    }
    assert_problem(redeem(&app, &door, &unknown_code()).await, 404, "not_found").await;
    assert_eq!(
        my_passes(&app, &holder).await[0]["status"],
        "issued",
        "nothing redeemed yet"
    );
}

#[tokio::test]
async fn a_code_is_redeemed_once_however_it_is_typed() {
    let app = TestApp::spawn().await;
    let (staff, door, _, holder, pass, _) = two_passes_and_a_door(&app).await;
    let code = s(&pass["code"]);
    // Lower case, spaces instead of dashes, stray spaces: still the code.
    let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
    let response = redeem(&app, &door, &typed).await;
    assert_eq!(response.status(), StatusCode::OK);
    let redeemed = body(response).await;
    assert_eq!(redeemed["id"], pass["id"]);
    assert_eq!(redeemed["status"], "redeemed");
    assert!(redeemed["redeemed_at"].is_string());
    assert_eq!(my_passes(&app, &holder).await[0]["status"], "redeemed");
    let again = assert_problem(
        redeem(&app, &staff.token, &code.replace('-', "")).await,
        409,
        "already_redeemed",
    )
    .await;
    assert!(again["detail"].is_string());
    assert_eq!(app.audited(&staff, "pass", "pass.redeemed").await, 1);
}

#[tokio::test]
async fn a_revoked_pass_is_gone_at_the_door() {
    let app = TestApp::spawn().await;
    let (staff, _, _, _, _, revoked_pass) = two_passes_and_a_door(&app).await;
    let revoke = app
        .post(
            &format!("/v1/passes/{}/revoke", id_of(&revoked_pass)),
            Some(&staff.token),
            &json!({"reason": "issued to the wrong person"}),
        )
        .await;
    assert_eq!(revoke.status(), StatusCode::OK);
    assert_problem(
        redeem(&app, &staff.token, &s(&revoked_pass["code"])).await,
        410,
        "revoked",
    )
    .await;
    assert_eq!(app.audited(&staff, "pass", "pass.redeemed").await, 0);
}

#[tokio::test]
async fn a_wrong_check_character_is_refused_before_any_lookup() {
    // No pass exists at all: a well-formed code is looked up (404), a
    // mistyped one never is (422).
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    assert_eq!(count(&app.db, "passes").await, 0);
    let code = unknown_code();
    assert_problem(redeem(&app, &staff.token, &code).await, 404, "not_found").await;
    let problem = assert_problem(
        redeem(&app, &staff.token, &with_wrong_check(&code)).await,
        422,
        "invalid_code",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "invalid_code");
    assert_eq!(count(&app.db, "passes").await, 0);
}

// ---------------------------------------------------------------------------
// Revocation
// ---------------------------------------------------------------------------

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
    let first = issue(app, &staff.token, &id, "first", &json!({"program": "acc"})).await;
    assert_eq!(issued_members(&first), [p.id.to_string()]);
    assert_eq!(quota(app, &id, "acc").await["remaining"], 0);
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
        quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 2, "used": 1, "remaining": 1})
    );
    // …and the next issuance gives it to the next eligible member.
    let next = issue(&app, &staff.token, &id, "next", &json!({"program": "acc"})).await;
    assert_eq!(issued_members(&next), [q.id.to_string()]);
    assert_eq!(live_passes(&app, &id, None).await, 2);
    assert_eq!(app.audited(&staff, "pass", "pass.revoked").await, 1);
}

#[tokio::test]
async fn a_revoked_member_does_not_get_the_freed_place_back_from_the_next_bulk_issuance() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let p = organizer(&app, "Pia Plenty", 100, 8).await; // 16
    let q = organizer(&app, "Quinn Quick", 200, 6).await; // 12
    let r = organizer(&app, "Rita Recent", 30, 5).await; // 10
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let first = issue(&app, &staff.token, &id, "first", &json!({"program": "acc"})).await;
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
        .map(|i| s(&i["pass"]["id"]))
        .expect("q's pass");
    let revoked = app
        .post(
            &format!("/v1/passes/{q_pass}/revoke"),
            Some(&staff.token),
            &json!({"reason": "code of conduct violation"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(quota(&app, &id, "acc").await["remaining"], 1);

    // The freed place goes to the next eligible member, not back to the
    // member whose pass staff just revoked.
    let next = issue(&app, &staff.token, &id, "next", &json!({"program": "acc"})).await;
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

// ---------------------------------------------------------------------------
// Appeals
// ---------------------------------------------------------------------------

/// Mia and Otto, and a summit with an `acc` quota of 3: `(staff, mia, otto, summit id)`.
async fn a_summit_to_appeal_at(app: &TestApp) -> (Member, Member, Member, String) {
    let staff = app.staff().await;
    let mia = app.member("Mia Member").await;
    let other = app.member("Otto Other").await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 3}])).await);
    (staff, mia, other, id)
}

/// Mia's appeal at the summit, asserting 201; returns it.
async fn filed(app: &TestApp, mia: &Member, summit: &str) -> Value {
    let response = appeal(app, mia, summit, "acc").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await
}

#[tokio::test]
async fn filing_an_appeal_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let (_, _, _, id) = a_summit_to_appeal_at(&app).await;
    let request = json!({"program": "acc", "message": "My meetups were on luma, not on meetup."});
    assert_problem(
        app.post(&format!("/v1/summits/{id}/appeals"), None, &request)
            .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "appeals").await, 0);
}

#[tokio::test]
async fn an_appeal_needs_a_message_and_a_programme_of_the_summit() {
    let app = TestApp::spawn().await;
    let (_, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let path = format!("/v1/summits/{id}/appeals");
    let short = assert_problem(
        app.post(
            &path,
            Some(&mia.token),
            &json!({"program": "acc", "message": "pls"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&short), ["message"]);
    let unknown = assert_problem(
        app.post(
            &path,
            Some(&mia.token),
            &json!({"program": "aoc", "message": "My meetups were on luma."}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&unknown), ["program"]);
    assert_eq!(count(&app.db, "appeals").await, 0);
}

#[tokio::test]
async fn appealing_at_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let (_, mia, _, _) = a_summit_to_appeal_at(&app).await;
    let request = json!({"program": "acc", "message": "My meetups were on luma, not on meetup."});
    assert_problem(
        app.post(
            &format!("/v1/summits/{}/appeals", Uuid::now_v7()),
            Some(&mia.token),
            &request,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "appeals").await, 0);
}

#[tokio::test]
async fn a_member_has_one_open_appeal_at_a_time() {
    let app = TestApp::spawn().await;
    let (_, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let filed = filed(&app, &mia, &id).await;
    assert_eq!(filed["status"], "open");
    assert_eq!(filed["member_id"], mia.id.to_string());
    assert_eq!(filed["program"], "acc");
    assert_eq!(filed["pass_id"], Value::Null);
    assert_problem(appeal(&app, &mia, &id, "acc").await, 409, "already_exists").await;
    assert_eq!(count(&app.db, "appeals").await, 1);
}

#[tokio::test]
async fn only_staff_read_a_summits_appeals() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let filed = filed(&app, &mia, &id).await;
    let path = format!("/v1/summits/{id}/appeals");
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(&path, Some(&mia.token)).await, 403, "forbidden").await;
    assert_eq!(appeals_of(&app, &staff, &id).await, vec![filed]);
}

#[tokio::test]
async fn only_staff_decide_an_appeal() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let appeal_id = id_of(&filed(&app, &mia, &id).await);
    assert_problem(
        decide(&app, &mia.token, &appeal_id, "granted", "I deserve it").await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/v1/appeals/{appeal_id}/decision"),
            None,
            &json!({"outcome": "denied", "reason": "no"}),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(appeals_of(&app, &staff, &id).await[0]["status"], "open");
}

#[tokio::test]
async fn deciding_an_appeal_needs_a_reason() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let appeal_id = id_of(&filed(&app, &mia, &id).await);
    let no_reason = assert_problem(
        decide(&app, &staff.token, &appeal_id, "denied", "").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&no_reason), ["reason"]);
    assert_eq!(appeals_of(&app, &staff, &id).await[0]["status"], "open");
}

#[tokio::test]
async fn deciding_an_unknown_appeal_is_404() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    filed(&app, &mia, &id).await;
    assert_problem(
        decide(
            &app,
            &staff.token,
            &Uuid::now_v7().to_string(),
            "denied",
            "no",
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(appeals_of(&app, &staff, &id).await[0]["status"], "open");
}

#[tokio::test]
async fn staff_deny_an_appeal_once_and_it_issues_no_pass() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let appeal_id = id_of(&filed(&app, &mia, &id).await);
    let denied = decide(
        &app,
        &staff.token,
        &appeal_id,
        "denied",
        "No evidence of the meetups",
    )
    .await;
    assert_eq!(denied.status(), StatusCode::OK);
    let denied = body(denied).await;
    assert_eq!(denied["status"], "denied");
    assert_eq!(denied["reason"], "No evidence of the meetups");
    assert!(denied["decided_at"].is_string());
    assert_eq!(denied["pass_id"], Value::Null);
    assert_problem(
        decide(&app, &staff.token, &appeal_id, "granted", "changed my mind").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn a_new_appeal_after_a_decision_once_granted_issues_a_pass_in_the_same_transaction() {
    let app = TestApp::spawn().await;
    let (staff, mia, other, id) = a_summit_to_appeal_at(&app).await;
    let first = id_of(&filed(&app, &mia, &id).await);
    let denied = decide(
        &app,
        &staff.token,
        &first,
        "denied",
        "No evidence of the meetups",
    )
    .await;
    assert_eq!(denied.status(), StatusCode::OK);
    let again = id_of(&filed(&app, &mia, &id).await);
    let granted = decide(
        &app,
        &staff.token,
        &again,
        "granted",
        "Verified the luma events",
    )
    .await;
    assert_eq!(granted.status(), StatusCode::OK);
    let granted = body(granted).await;
    assert_eq!(granted["status"], "granted");
    let pass_id = s(&granted["pass_id"]);
    let mine = my_passes(&app, &mia).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["id"], pass_id.as_str());
    assert_eq!(mine[0]["origin"], "appeal");
    assert_eq!(mine[0]["program"], "acc");
    assert_code_shape(&s(&mine[0]["code"]));
    assert_eq!(quota(&app, &id, "acc").await["used"], 1);
    assert_problem(
        decide(&app, &staff.token, &again, "denied", "oops").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(my_passes(&app, &other).await, Vec::<Value>::new());
    assert_eq!(app.audited(&staff, "appeal", "appeal.decided").await, 2);
}

#[tokio::test]
async fn a_grant_with_no_place_left_issues_nothing_and_leaves_the_appeal_open() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let mia = app.member("Mia Member").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 1}])).await);
    let held = manual_pass(&app, &staff, &id, holder.id).await;
    let filed = appeal(&app, &mia, &id, "acc").await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let appeal_id = id_of(&body(filed).await);
    assert_problem(
        decide(&app, &staff.token, &appeal_id, "granted", "Verified").await,
        409,
        "quota_exhausted",
    )
    .await;
    let listed = appeals_of(&app, &staff, &id).await;
    let mine = listed
        .iter()
        .find(|a| a["id"] == appeal_id.as_str())
        .expect("the appeal");
    assert_eq!(mine["status"], "open");
    assert_eq!(mine["pass_id"], Value::Null);
    assert_eq!(count(&app.db, "passes").await, 1);
    assert_eq!(my_passes(&app, &mia).await, Vec::<Value>::new());

    // Revoking frees the place; the grant goes through.
    let revoked = app
        .post(
            &format!("/v1/passes/{}/revoke", id_of(&held)),
            Some(&staff.token),
            &json!({"reason": "cannot travel"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let granted = decide(&app, &staff.token, &appeal_id, "granted", "Verified").await;
    assert_eq!(granted.status(), StatusCode::OK);
    let granted = body(granted).await;
    assert_eq!(my_passes(&app, &mia).await[0]["id"], granted["pass_id"]);
    assert_eq!(quota(&app, &id, "acc").await["remaining"], 0);
}

#[tokio::test]
async fn a_grant_to_a_member_who_holds_a_pass_is_409_and_leaves_the_appeal_open() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let mia = app.member("Mia Member").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 1}])).await);
    // Mia holds a pass from a granted appeal.
    let filed = appeal(&app, &mia, &id, "acc").await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let first = id_of(&body(filed).await);
    let granted = decide(&app, &staff.token, &first, "granted", "Verified").await;
    assert_eq!(granted.status(), StatusCode::OK);
    assert_eq!(quota(&app, &id, "acc").await["remaining"], 0);
    // With places again, she is not granted a second one.
    let raised = app
        .send_json(
            Method::PATCH,
            &format!("/v1/summits/{id}"),
            Some(&staff.token),
            &json!({"programs": [{"program": "acc", "quota": 3}]}),
        )
        .await;
    assert_eq!(raised.status(), StatusCode::OK);
    let second = appeal(&app, &mia, &id, "acc").await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let second = id_of(&body(second).await);
    assert_problem(
        decide(&app, &staff.token, &second, "granted", "Verified").await,
        409,
        "already_has_pass",
    )
    .await;
    let listed = appeals_of(&app, &staff, &id).await;
    let open = listed
        .iter()
        .find(|a| a["id"] == second.as_str())
        .expect("the second appeal");
    assert_eq!(open["status"], "open");
    assert_eq!(live_passes(&app, &id, None).await, 1);
    assert_eq!(my_passes(&app, &mia).await.len(), 1);
}

// ---------------------------------------------------------------------------
// Races
// ---------------------------------------------------------------------------

/// A JSON request to the server at `base`; answers the status and the body
/// (JSON, or `null` when empty).
async fn post_at(
    app: &TestApp,
    base: &str,
    token: &str,
    path: &str,
    key: Option<&str>,
    request: &Value,
) -> (StatusCode, Value) {
    let mut builder = app
        .client
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(request);
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    let response = builder.send().await.expect("request");
    let status = response.status();
    let bytes = response.bytes().await.expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Gives every member whose email starts with `prefix` four verified talks
/// (12 points under acc v1) in the window.
async fn talks_for(app: &TestApp, prefix: &str) {
    exec(
        &app.db,
        &format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), m.id, 'talk_given', DATE '{}' - g * 10, 'talk', 'verified'
             FROM members m CROSS JOIN generate_series(1, 4) AS g WHERE m.email LIKE '{prefix}%'",
            cutoff()
        ),
    )
    .await;
}

#[tokio::test]
async fn race_fifty_concurrent_issuances_on_two_servers_never_exceed_the_quota() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    let issuer = api_key(&app, &["passes:issue"]).await;
    members(&app, "Racer", 60).await;
    talks_for(&app, "racer.").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 25}])).await);
    let eligible = body(
        app.get(
            &format!("/v1/summits/{id}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(eligible.as_array().map(Vec::len), Some(60));

    let app_ref = &app;
    let calls = (0..50).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let token = if i % 3 == 0 {
            staff.token.clone()
        } else {
            issuer.clone()
        };
        let path = format!("/v1/summits/{id}/passes/issue");
        async move {
            post_at(
                app_ref,
                &base,
                &token,
                &path,
                Some(&format!("race-{i}")),
                &json!({"program": "acc", "max": 3}),
            )
            .await
        }
    });
    let responses = join_all(calls).await;
    let mut issued_total = 0;
    for (status, answer) in &responses {
        assert_eq!(*status, StatusCode::OK, "{answer}");
        let n = answer["issued_count"].as_i64().expect("issued_count");
        assert!(n <= 3, "max 3: {answer}");
        assert!(answer["used"].as_i64().expect("used") <= 25, "{answer}");
        issued_total += n;
    }
    assert_eq!(
        issued_total, 25,
        "the sum of what the responses say was issued"
    );
    assert_eq!(live_passes(&app, &id, Some("acc")).await, 25);
    assert_eq!(count(&app.db, "passes").await, 25);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert_eq!(
        quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 25, "used": 25, "remaining": 0})
    );
    let listed = body(
        app.get(
            &format!("/v1/summits/{id}/passes?limit=200"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    let holders: std::collections::BTreeSet<String> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| s(&p["member_id"]))
        .collect();
    assert_eq!(holders.len(), 25, "25 different members");
}

#[tokio::test]
async fn race_bulk_issuances_manual_passes_and_appeal_grants_share_one_quota() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    members(&app, "Bulk", 10).await;
    talks_for(&app, "bulk.").await;
    let guests = members(&app, "Guest", 6).await;
    let appellants = members(&app, "Appellant", 6).await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 5}])).await);
    let mut appeal_ids = Vec::new();
    for member in &appellants {
        let filed = appeal(&app, member, &id, "acc").await;
        assert_eq!(filed.status(), StatusCode::CREATED);
        appeal_ids.push(id_of(&body(filed).await));
    }

    let app_ref = &app;
    let base = |i: usize| {
        if i.is_multiple_of(2) {
            app_ref.address.clone()
        } else {
            second.clone()
        }
    };
    let mut calls: Vec<futures_util::future::LocalBoxFuture<'_, (&str, StatusCode, Value)>> =
        Vec::new();
    for i in 0..8 {
        let (base, token, path) = (
            base(i),
            staff.token.clone(),
            format!("/v1/summits/{id}/passes/issue"),
        );
        calls.push(Box::pin(async move {
            let (status, answer) = post_at(
                app_ref,
                &base,
                &token,
                &path,
                Some(&format!("mixed-{i}")),
                &json!({"program": "acc", "max": 2}),
            )
            .await;
            ("bulk", status, answer)
        }));
    }
    for (i, guest) in guests.iter().enumerate() {
        let (base, token, path) = (
            base(i + 1),
            staff.token.clone(),
            format!("/v1/summits/{id}/passes"),
        );
        let member_id = guest.id;
        calls.push(Box::pin(async move {
            let (status, answer) = post_at(
                app_ref,
                &base,
                &token,
                &path,
                None,
                &json!({"member_id": member_id, "program": "acc", "reason": "Speaker"}),
            )
            .await;
            ("manual", status, answer)
        }));
    }
    for (i, appeal_id) in appeal_ids.iter().enumerate() {
        let (base, token, path) = (
            base(i),
            staff.token.clone(),
            format!("/v1/appeals/{appeal_id}/decision"),
        );
        calls.push(Box::pin(async move {
            let (status, answer) = post_at(
                app_ref,
                &base,
                &token,
                &path,
                None,
                &json!({"outcome": "granted", "reason": "Verified"}),
            )
            .await;
            ("appeal", status, answer)
        }));
    }
    let responses = join_all(calls).await;

    let mut placed = 0;
    let mut granted = 0;
    for (what, status, answer) in &responses {
        match (*what, status.as_u16()) {
            ("bulk", 200) => placed += answer["issued_count"].as_i64().expect("issued_count"),
            ("manual", 201) => placed += 1,
            ("appeal", 200) => {
                assert_eq!(answer["status"], "granted");
                assert!(answer["pass_id"].is_string());
                placed += 1;
                granted += 1;
            }
            ("manual" | "appeal", 409) => assert_eq!(answer["code"], "quota_exhausted", "{answer}"),
            _ => panic!("{what} answered {status}: {answer}"),
        }
    }
    assert_eq!(placed, 5, "every place taken once: {responses:?}");
    assert_eq!(
        live_passes(&app, &id, None).await,
        5,
        "never more than the quota"
    );
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert_eq!(quota(&app, &id, "acc").await["remaining"], 0);
    let appeals = appeals_of(&app, &staff, &id).await;
    assert_eq!(
        appeals.iter().filter(|a| a["status"] == "granted").count(),
        granted
    );
    assert_eq!(
        appeals.iter().filter(|a| a["status"] == "open").count(),
        6 - granted,
        "refused grants leave their appeal open"
    );
}

#[tokio::test]
async fn race_twenty_calls_with_one_idempotency_key_issue_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    let issuer = api_key(&app, &["passes:issue"]).await;
    members(&app, "Twin", 10).await;
    talks_for(&app, "twin.").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 30}])).await);
    let app_ref = &app;
    let calls = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let (issuer, id) = (issuer.clone(), id.clone());
        async move {
            let response = issue_at(
                app_ref,
                &base,
                &issuer,
                &id,
                Some("the-one-key"),
                &json!({"program": "acc", "max": 10}),
            )
            .await;
            (response.status(), response.bytes().await.expect("body"))
        }
    });
    let responses = join_all(calls).await;
    for (status, bytes) in &responses {
        assert_eq!(
            *status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(bytes)
        );
        assert_eq!(bytes, &responses[0].1, "identical bodies");
    }
    let first: Value = serde_json::from_slice(&responses[0].1).expect("JSON");
    assert_eq!(first["issued_count"], 10);
    assert_eq!(count(&app.db, "passes").await, 10);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert_eq!(app.audited(&staff, "summit", "passes.issued").await, 1);
}

#[tokio::test]
async fn race_twenty_redemptions_of_one_code_redeem_it_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    let door = api_key(&app, &["passes:redeem"]).await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 1}])).await);
    let code = s(&manual_pass(&app, &staff, &id, holder.id).await["code"]);
    let app_ref = &app;
    let calls = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let token = if i % 3 == 0 {
            staff.token.clone()
        } else {
            door.clone()
        };
        let code = code.clone();
        async move {
            post_at(
                app_ref,
                &base,
                &token,
                "/v1/passes/redeem",
                None,
                &json!({"code": code}),
            )
            .await
        }
    });
    let responses = join_all(calls).await;
    let ok = responses
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(ok, 1, "{responses:?}");
    for (status, answer) in responses.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT, "{answer}");
        assert_eq!(answer["code"], "already_redeemed");
    }
    assert_eq!(my_passes(&app, &holder).await[0]["status"], "redeemed");
    assert_eq!(app.audited(&staff, "pass", "pass.redeemed").await, 1);
}

#[tokio::test]
async fn race_acc_and_aoc_issuances_never_give_a_member_two_passes() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    members(&app, "Dual", 30).await;
    // 4 moderated ops meetups + 2 talks: eligible for acc (14) and aoc (16).
    exec(
        &app.db,
        &format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), m.id, k, DATE '{}' - g * 10, 'arranged', 'verified'
             FROM members m CROSS JOIN (VALUES ('ops_meetup_moderated', 4), ('talk_given', 2)) AS t(k, n)
             CROSS JOIN LATERAL generate_series(1, t.n) AS g WHERE m.email LIKE 'dual.%'",
            cutoff()
        ),
    )
    .await;
    let id = id_of(
        &summit(
            &app,
            &staff,
            json!([{"program": "acc", "quota": 20}, {"program": "aoc", "quota": 20}]),
        )
        .await,
    );
    let app_ref = &app;
    let calls = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let program = if i % 4 < 2 { "acc" } else { "aoc" };
        let (token, path) = (
            staff.token.clone(),
            format!("/v1/summits/{id}/passes/issue"),
        );
        async move {
            post_at(
                app_ref,
                &base,
                &token,
                &path,
                Some(&format!("dual-{i}")),
                &json!({"program": program, "max": 5}),
            )
            .await
        }
    });
    for (status, answer) in join_all(calls).await {
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert!(live_passes(&app, &id, Some("acc")).await <= 20);
    assert!(live_passes(&app, &id, Some("aoc")).await <= 20);
    // Topping up gives everyone exactly one pass.
    issue(
        &app,
        &staff.token,
        &id,
        "top-acc",
        &json!({"program": "acc"}),
    )
    .await;
    issue(
        &app,
        &staff.token,
        &id,
        "top-aoc",
        &json!({"program": "aoc"}),
    )
    .await;
    assert_eq!(live_passes(&app, &id, None).await, 30);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
}
