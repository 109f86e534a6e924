//! Contribution kinds, recognition programmes with their versioned immutable
//! rules, and contributions: claims, verification by organizers, ambassadors
//! and staff (never the contributor), and contributions derived from held
//! events, once only, also under concurrent writes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures_util::future::join_all;
use liaison_tests::{
    assert_problem, body, count, error_fields, event_request, id_of, Member, TestApp,
};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

/// The kinds the migration seeds.
const SEEDED_KINDS: [&str; 11] = [
    "documentation",
    "event_organized",
    "feedback_submitted",
    "localization",
    "mentoring",
    "ops_meetup_moderated",
    "other",
    "question_answered",
    "talk_given",
    "user_group_leadership",
    "working_group",
];

// ---------------------------------------------------------------------------
// Arranging and reading back
// ---------------------------------------------------------------------------

/// One number from SQL (a column `n`).
async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.db
        .query_one(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("query")
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .expect("a number")
}

/// Today, as the server sees it.
fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A valid claim of `kind` ten days ago.
fn claim_request(kind: &str) -> Value {
    json!({
        "kind": kind,
        "occurred_on": today() - Duration::days(10),
        "title": format!("A {kind} worth recognising"),
        "evidence_url": "https://example.org/evidence",
    })
}

/// A claim by `member` that must answer 201; returns it.
async fn claim(app: &TestApp, member: &Member, request: &Value) -> Value {
    let response = app
        .post("/v1/contributions", Some(&member.token), request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "claim {request}");
    body(response).await
}

/// A claim of `kind` linked to a group (and optionally an event).
fn linked_claim(kind: &str, group: &str, event: Option<&str>) -> Value {
    let mut request = claim_request(kind);
    request["group_id"] = json!(group);
    if let Some(event) = event {
        request["event_id"] = json!(event);
    }
    request
}

/// `POST /v1/contributions/{id}/verification`.
async fn verify(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    decision: &str,
    note: Option<&str>,
) -> Response {
    app.post(
        &format!("/v1/contributions/{id}/verification"),
        token,
        &json!({"decision": decision, "note": note}),
    )
    .await
}

/// The items of `path` (a contribution list) read by `token`, asserting 200.
async fn items(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let response = app.get(path, Some(token)).await;
    assert_eq!(response.status(), StatusCode::OK, "list {path}");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

/// `GET /v1/contributions` with a query, by `member`.
async fn listed(app: &TestApp, member: &Member, query: &str) -> Vec<Value> {
    items(
        app,
        &member.token,
        &format!("/v1/contributions?limit=200{query}"),
    )
    .await
}

/// `GET /v1/me/contributions`, by `member`.
async fn mine(app: &TestApp, member: &Member) -> Vec<Value> {
    items(app, &member.token, "/v1/me/contributions?limit=200").await
}

/// The ids of some contributions, sorted.
fn ids(list: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = list.iter().map(id_of).collect();
    ids.sort();
    ids
}

/// The ids of some resources, sorted.
fn ids_of(resources: &[&Value]) -> Vec<String> {
    let mut ids: Vec<String> = resources.iter().map(|r| id_of(r)).collect();
    ids.sort();
    ids
}

/// The `event_organized` contributions a member holds.
async fn organized(app: &TestApp, member: &Member) -> Vec<Value> {
    mine(app, member)
        .await
        .into_iter()
        .filter(|c| c["kind"] == "event_organized")
        .collect()
}

/// How many `event_organized` contributions a member holds for an event, in the database.
async fn organized_rows(app: &TestApp, member: &Member, event: &str) -> i64 {
    scalar(
        app,
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

/// An approved group led by `lead`, in `country`; returns its id.
async fn approved_group(
    app: &TestApp,
    staff: &Member,
    lead: &Member,
    slug: &str,
    country: &str,
) -> String {
    let group = app.group(lead, slug, country).await;
    let id = id_of(&group);
    app.approve(staff, &id).await;
    id
}

/// `PATCH /v1/events/{id}` without `If-Match`.
async fn patch_event(app: &TestApp, token: &str, event: &str, changes: &Value) -> Response {
    app.send_json(
        Method::PATCH,
        &format!("/v1/events/{event}"),
        Some(token),
        changes,
    )
    .await
}

/// A patch that must answer 200; returns the event.
async fn patched(app: &TestApp, member: &Member, event: &str, changes: &Value) -> Value {
    let response = patch_event(app, &member.token, event, changes).await;
    assert_eq!(response.status(), StatusCode::OK, "patch {changes}");
    body(response).await
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

/// Sets a member's country with `PATCH /v1/me`.
async fn set_country(app: &TestApp, member: &Member, country: &str) {
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&member.token),
            &json!({ "country": country }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "set country");
}

/// A programme as anyone reads it.
async fn program(app: &TestApp, slug: &str) -> Value {
    let response = app
        .get(&format!("/v1/recognition-programs/{slug}"), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "read programme {slug}");
    body(response).await
}

/// The points and max_count of `kind` in a rules version.
fn weight(rules: &Value, kind: &str) -> (i64, i64) {
    rules["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["kind"] == kind)
        .map(|k| {
            (
                k["points"].as_i64().expect("points"),
                k["max_count"].as_i64().expect("max_count"),
            )
        })
        .unwrap_or_else(|| panic!("a kind {kind} in {rules}"))
}

/// Rules that differ from the seeded ones.
fn new_rules() -> Value {
    json!({"window_days": 730, "threshold_points": 12, "kinds": [
        {"kind": "event_organized", "points": 3, "max_count": 10},
        {"kind": "localization", "points": 1, "max_count": 8},
    ]})
}

/// `POST /v1/recognition-programs/{slug}/rules`.
async fn publish(app: &TestApp, token: Option<&str>, slug: &str, rules: &Value) -> Response {
    app.post(
        &format!("/v1/recognition-programs/{slug}/rules"),
        token,
        rules,
    )
    .await
}

// ---------------------------------------------------------------------------
// Contribution kinds
// ---------------------------------------------------------------------------

#[tokio::test]
async fn anyone_lists_the_eleven_seeded_kinds() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/contribution-kinds", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let kinds = body(response).await;
    let kinds = kinds.as_array().expect("an array of kinds");
    let slugs: Vec<&str> = kinds
        .iter()
        .map(|k| k["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(slugs, SEEDED_KINDS);
    assert!(
        kinds
            .iter()
            .all(|k| k["name"].as_str().is_some_and(|n| !n.is_empty())
                && k["description"].is_string())
    );
    let organized = kinds
        .iter()
        .find(|k| k["slug"] == "event_organized")
        .expect("event_organized");
    assert_eq!(organized["name"], "Event organized");
}

/// `POST /v1/contribution-kinds` of `podcast_hosted` by staff, asserting 201; returns it.
async fn add_podcast_kind(app: &TestApp, staff: &Member) -> Value {
    let response = app
        .post(
            "/v1/contribution-kinds",
            Some(&staff.token),
            &json!({"slug": "podcast_hosted", "name": "Podcast hosted", "description": "Hosted an episode"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await
}

#[tokio::test]
async fn staff_add_a_kind_that_anyone_then_lists() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let created = add_podcast_kind(&app, &staff).await;
    assert_eq!(
        created,
        json!({"slug": "podcast_hosted", "name": "Podcast hosted", "description": "Hosted an episode"})
    );
    let listed = body(app.get("/v1/contribution-kinds", None).await).await;
    let listed = listed.as_array().expect("kinds");
    assert_eq!(listed.len(), 12);
    assert!(listed.iter().any(|k| k["slug"] == "podcast_hosted"));
    assert_eq!(
        app.audited(&staff, "contribution_kind", "contribution_kind.created")
            .await,
        1
    );
}

#[tokio::test]
async fn a_kind_staff_just_added_can_be_claimed_at_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    add_podcast_kind(&app, &staff).await;
    let member = app.member("Pia Podcaster").await;
    let claimed = claim(&app, &member, &claim_request("podcast_hosted")).await;
    assert_eq!(claimed["kind"], "podcast_hosted");
}

#[tokio::test]
async fn a_taken_kind_slug_new_or_seeded_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    add_podcast_kind(&app, &staff).await;
    let audit_before = count(&app.db, "audit_log").await;
    for slug in ["podcast_hosted", "talk_given"] {
        assert_problem(
            app.post(
                "/v1/contribution-kinds",
                Some(&staff.token),
                &json!({"slug": slug, "name": "Another name"}),
            )
            .await,
            409,
            "already_exists",
        )
        .await;
    }
    assert_eq!(count(&app.db, "contribution_kinds").await, 12);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let podcast = body(app.get("/v1/contribution-kinds", None).await).await;
    let podcast = podcast
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["slug"] == "podcast_hosted")
        .cloned()
        .expect("podcast_hosted");
    assert_eq!(podcast["name"], "Podcast hosted", "the first one stays");
}

#[tokio::test]
async fn invalid_kinds_are_422_naming_each_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let kinds_before = count(&app.db, "contribution_kinds").await;
    let audit_before = count(&app.db, "audit_log").await;
    let cases = [
        (
            json!({"slug": "Bad Slug", "name": "Bad slug"}),
            vec!["slug"],
        ),
        (json!({"slug": "x", "name": "Too short"}), vec!["slug"]),
        (
            json!({"slug": "1st_kind", "name": "Digit first"}),
            vec!["slug"],
        ),
        (json!({"slug": "with-dash", "name": "Dash"}), vec!["slug"]),
        (
            json!({"slug": "a".repeat(65), "name": "Too long"}),
            vec!["slug"],
        ),
        (json!({"slug": "fine_kind", "name": "x"}), vec!["name"]),
        (
            json!({"slug": "fine_kind", "name": "Fine", "description": "d".repeat(1001)}),
            vec!["description"],
        ),
        (
            json!({"slug": "BAD", "name": "", "description": "d".repeat(1001)}),
            vec!["slug", "name", "description"],
        ),
    ];
    for (request, fields) in cases {
        let problem = assert_problem(
            app.post("/v1/contribution-kinds", Some(&staff.token), &request)
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{request}");
    }
    assert_eq!(count(&app.db, "contribution_kinds").await, kinds_before);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let listed = body(app.get("/v1/contribution-kinds", None).await).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(11));
}

#[tokio::test]
async fn only_staff_add_kinds() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia Member").await;
    let request = json!({"slug": "podcast_hosted", "name": "Podcast hosted"});
    assert_problem(
        app.post("/v1/contribution-kinds", Some(&member.token), &request)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/v1/contribution-kinds", None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "contribution_kinds").await, 11);
    let listed = body(app.get("/v1/contribution-kinds", None).await).await;
    assert!(!listed
        .as_array()
        .expect("kinds")
        .iter()
        .any(|k| k["slug"] == "podcast_hosted"));
}

// ---------------------------------------------------------------------------
// Recognition programmes and their rules
// ---------------------------------------------------------------------------

#[tokio::test]
async fn anyone_lists_the_seeded_programmes_with_their_first_rules() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/recognition-programs", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let programs = body(response).await;
    let programs = programs.as_array().expect("an array of programmes");
    let slugs: Vec<&str> = programs
        .iter()
        .map(|p| p["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(slugs, ["acc", "aoc"]);

    let acc = &programs[0];
    assert_eq!(acc["name"], "Active Community Contributor");
    assert_eq!(acc["current_version"], 1);
    let rules = acc["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["version"], 1);
    assert_eq!(rules[0]["window_days"], 365);
    assert_eq!(rules[0]["threshold_points"], 10);
    assert!(rules[0]["published_at"].is_string());
    assert_eq!(rules[0]["kinds"].as_array().map(Vec::len), Some(11));
    assert_eq!(weight(&rules[0], "event_organized"), (2, 12));
    assert_eq!(weight(&rules[0], "talk_given"), (3, 4));
    assert_eq!(weight(&rules[0], "user_group_leadership"), (4, 1));
    assert_eq!(weight(&rules[0], "other"), (1, 2));

    let aoc = &programs[1];
    assert_eq!(aoc["name"], "Active Ops Contributor");
    assert_eq!(aoc["current_version"], 1);
    let rules = aoc["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["window_days"], 365);
    assert_eq!(rules[0]["threshold_points"], 8);
    assert_eq!(rules[0]["kinds"].as_array().map(Vec::len), Some(6));
    assert_eq!(weight(&rules[0], "ops_meetup_moderated"), (3, 6));
    assert_eq!(weight(&rules[0], "event_organized"), (2, 6));
    assert_eq!(weight(&rules[0], "question_answered"), (1, 10));
}

#[tokio::test]
async fn one_programme_reads_the_same_as_in_the_list() {
    let app = TestApp::spawn().await;
    let programs = body(app.get("/v1/recognition-programs", None).await).await;
    let programs = programs.as_array().expect("an array of programmes");
    assert_eq!(&program(&app, "acc").await, &programs[0]);
    assert_eq!(&program(&app, "aoc").await, &programs[1]);
}

#[tokio::test]
async fn an_unknown_programme_is_404() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/recognition-programs/nope", None).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_create_a_programme_with_its_first_rules() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let request = json!({"slug": "amc", "name": "Active Mentor Contributor", "description": "For mentors",
        "rules": {"window_days": 180, "threshold_points": 6, "kinds": [
            {"kind": "mentoring", "points": 2, "max_count": 6},
            {"kind": "documentation", "points": 1, "max_count": 3}]}});
    let response = app
        .post("/v1/recognition-programs", Some(&staff.token), &request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["location"],
        "/v1/recognition-programs/amc"
    );
    let created = body(response).await;
    assert_eq!(created["slug"], "amc");
    assert_eq!(created["name"], "Active Mentor Contributor");
    assert_eq!(created["description"], "For mentors");
    assert_eq!(created["current_version"], 1);
    assert_eq!(created["rules"][0]["version"], 1);
    assert_eq!(created["rules"][0]["window_days"], 180);
    assert_eq!(created["rules"][0]["threshold_points"], 6);
    assert_eq!(weight(&created["rules"][0], "mentoring"), (2, 6));
    assert_eq!(weight(&created["rules"][0], "documentation"), (1, 3));
    assert_eq!(program(&app, "amc").await, created);
    let all = body(app.get("/v1/recognition-programs", None).await).await;
    assert_eq!(all.as_array().map(Vec::len), Some(3));
    assert_eq!(
        app.audited(&staff, "recognition_program", "program.created")
            .await,
        1
    );
}

#[tokio::test]
async fn a_taken_programme_slug_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let rules_before = count(&app.db, "program_rules").await;
    assert_problem(
        app.post(
            "/v1/recognition-programs",
            Some(&staff.token),
            &json!({"slug": "acc", "name": "Another", "rules": new_rules()}),
        )
        .await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(count(&app.db, "program_rules").await, rules_before);
    assert_eq!(program(&app, "acc").await["current_version"], 1);
}

#[tokio::test]
async fn invalid_programmes_are_422_naming_each_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let programs = count(&app.db, "recognition_programs").await;
    let rules = count(&app.db, "program_rules").await;
    let kinds = count(&app.db, "program_rule_kinds").await;
    let audit = count(&app.db, "audit_log").await;

    let bad = json!({"slug": "B", "name": "", "rules": {"window_days": 0, "threshold_points": 0,
        "kinds": [{"kind": "nope", "points": -1, "max_count": 0}]}});
    let problem = assert_problem(
        app.post("/v1/recognition-programs", Some(&staff.token), &bad)
            .await,
        422,
        "validation_failed",
    )
    .await;
    let fields = error_fields(&problem);
    for field in [
        "slug",
        "name",
        "rules.window_days",
        "rules.threshold_points",
        "rules.kinds[0].kind",
        "rules.kinds[0].points",
        "rules.kinds[0].max_count",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    assert_eq!(fields.len(), 7, "{fields:?}");
    let problem = assert_problem(
        app.post(
            "/v1/recognition-programs",
            Some(&staff.token),
            &json!({"slug": "empty", "name": "No kinds", "rules": {"window_days": 30, "threshold_points": 1, "kinds": []}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["rules.kinds"]);

    assert_eq!(count(&app.db, "recognition_programs").await, programs);
    assert_eq!(count(&app.db, "program_rules").await, rules);
    assert_eq!(count(&app.db, "program_rule_kinds").await, kinds);
    assert_eq!(count(&app.db, "audit_log").await, audit);
    for slug in ["B", "empty"] {
        assert_problem(
            app.get(&format!("/v1/recognition-programs/{slug}"), None)
                .await,
            404,
            "not_found",
        )
        .await;
    }
}

#[tokio::test]
async fn only_staff_create_programmes() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia Member").await;
    let programs = count(&app.db, "recognition_programs").await;
    let rules = count(&app.db, "program_rules").await;
    let kinds = count(&app.db, "program_rule_kinds").await;
    let audit = count(&app.db, "audit_log").await;
    let good = json!({"slug": "amc", "name": "Active Mentor Contributor", "rules": new_rules()});
    assert_problem(
        app.post("/v1/recognition-programs", Some(&member.token), &good)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/v1/recognition-programs", None, &good).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "recognition_programs").await, programs);
    assert_eq!(count(&app.db, "program_rules").await, rules);
    assert_eq!(count(&app.db, "program_rule_kinds").await, kinds);
    assert_eq!(count(&app.db, "audit_log").await, audit);
    assert_problem(
        app.get("/v1/recognition-programs/amc", None).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn new_rules_are_a_new_version_and_earlier_versions_never_change() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let before = program(&app, "acc").await;
    let version_1 = before["rules"][0].clone();

    let response = publish(&app, Some(&staff.token), "acc", &new_rules()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let published = body(response).await;
    assert_eq!(published["current_version"], 2);
    let rules = published["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0], version_1, "version 1 is unchanged");
    assert_eq!(rules[1]["version"], 2);
    assert_eq!(rules[1]["window_days"], 730);
    assert_eq!(rules[1]["threshold_points"], 12);
    assert_eq!(rules[1]["kinds"].as_array().map(Vec::len), Some(2));
    assert_eq!(weight(&rules[1], "event_organized"), (3, 10));
    assert_eq!(weight(&rules[1], "localization"), (1, 8));

    let read = program(&app, "acc").await;
    assert_eq!(read, published);
    assert_eq!(read["rules"][0], version_1);
    // The other programme is untouched.
    assert_eq!(program(&app, "aoc").await["current_version"], 1);
    assert_eq!(
        app.audited(&staff, "recognition_program", "program.rules_published")
            .await,
        1
    );

    // A third version keeps both earlier ones as they were.
    let third = json!({"window_days": 365, "threshold_points": 10, "kinds": [
        {"kind": "talk_given", "points": 5, "max_count": 2}]});
    let response = publish(&app, Some(&staff.token), "acc", &third).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let read = program(&app, "acc").await;
    assert_eq!(read["current_version"], 3);
    assert_eq!(read["rules"][0], version_1);
    assert_eq!(read["rules"][1], rules[1]);
    assert_eq!(weight(&read["rules"][2], "talk_given"), (5, 2));
    assert_eq!(count(&app.db, "program_rules").await, 2 + 2);
}

#[tokio::test]
async fn invalid_rules_are_422_naming_each_field_and_publish_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let rules = count(&app.db, "program_rules").await;
    let kinds = count(&app.db, "program_rule_kinds").await;
    let audit = count(&app.db, "audit_log").await;
    let valid_kind = json!({"kind": "talk_given", "points": 3, "max_count": 4});
    let with = |window: i64, threshold: i64, kinds: Value| json!({"window_days": window, "threshold_points": threshold, "kinds": kinds});
    let cases = [
        (with(0, 10, json!([valid_kind])), vec!["window_days"]),
        (with(3661, 10, json!([valid_kind])), vec!["window_days"]),
        (with(365, 0, json!([valid_kind])), vec!["threshold_points"]),
        (
            with(
                365,
                10,
                json!([{"kind": "nope", "points": 1, "max_count": 1}]),
            ),
            vec!["kinds[0].kind"],
        ),
        (
            with(
                365,
                10,
                json!([valid_kind, {"kind": "mentoring", "points": -1, "max_count": 1}]),
            ),
            vec!["kinds[1].points"],
        ),
        (
            with(
                365,
                10,
                json!([{"kind": "mentoring", "points": 1, "max_count": 0}]),
            ),
            vec!["kinds[0].max_count"],
        ),
        (
            with(365, 10, json!([valid_kind, valid_kind])),
            vec!["kinds[1].kind"],
        ),
        (with(365, 10, json!([])), vec!["kinds"]),
        (
            with(
                0,
                0,
                json!([{"kind": "nope", "points": -1, "max_count": 0}, valid_kind, valid_kind]),
            ),
            vec![
                "window_days",
                "threshold_points",
                "kinds[0].kind",
                "kinds[0].points",
                "kinds[0].max_count",
                "kinds[2].kind",
            ],
        ),
    ];
    for (request, fields) in cases {
        let problem = assert_problem(
            publish(&app, Some(&staff.token), "acc", &request).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{request}");
    }
    assert_eq!(count(&app.db, "program_rules").await, rules);
    assert_eq!(count(&app.db, "program_rule_kinds").await, kinds);
    assert_eq!(count(&app.db, "audit_log").await, audit);
    let acc = program(&app, "acc").await;
    assert_eq!(acc["current_version"], 1);
    assert_eq!(acc["rules"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn only_staff_publish_rules() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia Member").await;
    let rules = count(&app.db, "program_rules").await;
    let kinds = count(&app.db, "program_rule_kinds").await;
    assert_problem(
        publish(&app, Some(&member.token), "acc", &new_rules()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        publish(&app, None, "acc", &new_rules()).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "program_rules").await, rules);
    assert_eq!(count(&app.db, "program_rule_kinds").await, kinds);
    assert_eq!(program(&app, "acc").await["current_version"], 1);
}

#[tokio::test]
async fn publishing_rules_for_an_unknown_programme_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let rules = count(&app.db, "program_rules").await;
    let kinds = count(&app.db, "program_rule_kinds").await;
    assert_problem(
        publish(&app, Some(&staff.token), "nope", &new_rules()).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "program_rules").await, rules);
    assert_eq!(count(&app.db, "program_rule_kinds").await, kinds);
    assert_eq!(program(&app, "acc").await["current_version"], 1);
}

#[tokio::test]
async fn concurrent_publishes_get_versions_2_and_3() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    let rules_a = new_rules();
    let rules_b = json!({"window_days": 365, "threshold_points": 9, "kinds": [
        {"kind": "mentoring", "points": 2, "max_count": 5}]});
    let to_second = app
        .client
        .post(format!("{second}/v1/recognition-programs/acc/rules"))
        .bearer_auth(&staff.token)
        .json(&rules_b)
        .send();
    let (first, second) = tokio::join!(
        publish(&app, Some(&staff.token), "acc", &rules_a),
        to_second
    );
    let second = second.expect("publish on the second server");
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(second.status(), StatusCode::CREATED);
    let mut versions = vec![
        body(first).await["current_version"]
            .as_i64()
            .expect("version"),
        body(second).await["current_version"]
            .as_i64()
            .expect("version"),
    ];
    versions.sort_unstable();
    assert_eq!(versions, [2, 3]);
    let acc = program(&app, "acc").await;
    assert_eq!(acc["current_version"], 3);
    let read: Vec<i64> = acc["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["version"].as_i64().expect("version"))
        .collect();
    assert_eq!(read, [1, 2, 3]);
    // Each version holds the kinds of the request that made it, and nothing else.
    let thresholds: Vec<i64> = acc["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .skip(1)
        .map(|r| r["threshold_points"].as_i64().expect("threshold"))
        .collect();
    for rules in acc["rules"].as_array().expect("rules").iter().skip(1) {
        let expected = if rules["threshold_points"] == 12 {
            2
        } else {
            1
        };
        assert_eq!(rules["kinds"].as_array().map(Vec::len), Some(expected));
    }
    let mut sorted = thresholds.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [9, 12]);
    assert_eq!(count(&app.db, "program_rules").await, 4);
}

// ---------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------

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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
    let other = approved_group(&app, &staff, &lead, "paris-ops", "FR").await;
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

// ---------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------

#[tokio::test]
async fn members_see_only_their_own_contributions() {
    let app = TestApp::spawn().await;
    let alice = app.member("Alice").await;
    let bob = app.member("Bob").await;
    let a1 = claim(&app, &alice, &claim_request("talk_given")).await;
    let a2 = claim(&app, &alice, &claim_request("mentoring")).await;
    let b1 = claim(&app, &bob, &claim_request("localization")).await;

    assert_eq!(ids(&listed(&app, &alice, "").await), ids_of(&[&a1, &a2]));
    assert_eq!(ids(&listed(&app, &bob, "").await), ids_of(&[&b1]));
    // Asking for someone else's finds nothing.
    assert!(listed(&app, &alice, &format!("&member={}", bob.id))
        .await
        .is_empty());
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
async fn listing_contributions_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/contributions", None).await,
        401,
        "unauthenticated",
    )
    .await;
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
async fn organizers_see_the_claims_linked_to_their_group() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let stranger_lead = app.member("Sol Stranger").await;
    let member = app.member("Mia Member").await;
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
    let other = approved_group(&app, &staff, &stranger_lead, "paris-ops", "FR").await;
    let linked = claim(&app, &member, &linked_claim("talk_given", &group, None)).await;
    let elsewhere = claim(&app, &member, &linked_claim("talk_given", &other, None)).await;
    let unlinked = claim(&app, &member, &claim_request("mentoring")).await;

    assert_eq!(ids(&listed(&app, &lead, "").await), ids_of(&[&linked]));
    assert_eq!(
        ids(&listed(&app, &stranger_lead, "").await),
        ids_of(&[&elsewhere])
    );
    assert_eq!(
        ids(&listed(&app, &lead, &format!("&group={group}")).await),
        ids_of(&[&linked])
    );
    assert!(listed(&app, &lead, &format!("&group={other}"))
        .await
        .is_empty());
    assert_eq!(
        ids(&listed(&app, &member, "").await),
        ids_of(&[&linked, &elsewhere, &unlinked])
    );
    // The organizer's own list is not the claimant's.
    assert!(mine(&app, &lead).await.is_empty());
}

#[tokio::test]
async fn ambassadors_see_the_claims_of_their_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "dach", &["DE"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amy Ambassador", "europe").await;
    let (dach_ambassador, _) = app.ambassador(&staff, "Dirk Ambassador", "dach").await;
    set_country(&app, &dach_ambassador, "DE").await;
    let french = app.member("Fleur French").await;
    let german = app.member("Greta German").await;
    set_country(&app, &german, "DE").await;
    let nowhere = app.member("Nina Nowhere").await;
    set_country(&app, &nowhere, "JP").await;
    let fr = claim(&app, &french, &claim_request("talk_given")).await;
    let de = claim(&app, &german, &claim_request("talk_given")).await;
    let jp = claim(&app, &nowhere, &claim_request("talk_given")).await;

    assert_eq!(ids(&listed(&app, &ambassador, "").await), ids_of(&[&fr]));
    assert_eq!(
        ids(&listed(&app, &dach_ambassador, "").await),
        ids_of(&[&de])
    );
    assert_eq!(
        ids(&listed(&app, &ambassador, "&region=europe").await),
        ids_of(&[&fr])
    );
    assert!(listed(&app, &ambassador, "&region=dach").await.is_empty());
    assert_eq!(
        ids(&listed(&app, &staff, "").await),
        ids_of(&[&fr, &de, &jp])
    );
}

/// Staff, regions `europe` (FR) and `dach` (DE), Alice (FR) and Bob (DE),
/// an approved group in FR; four claims, oldest first: Alice's talk
/// (verified), her linked mentoring, Bob's localization (rejected) and his
/// linked talk.
struct Claims {
    staff: Member,
    alice: Member,
    bob: Member,
    group: String,
    a1: Value,
    a2: Value,
    b1: Value,
    b2: Value,
}

async fn four_claims(app: &TestApp) -> Claims {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "dach", &["DE"], 3).await;
    let lead = app.member("Lea Lead").await;
    let alice = app.member("Alice").await;
    let bob = app.member("Bob").await;
    set_country(app, &bob, "DE").await;
    let group = approved_group(app, &staff, &lead, "lyon-ops", "FR").await;
    let a1 = claim(app, &alice, &claim_request("talk_given")).await;
    let a2 = claim(app, &alice, &linked_claim("mentoring", &group, None)).await;
    let b1 = claim(app, &bob, &claim_request("localization")).await;
    let b2 = claim(app, &bob, &linked_claim("talk_given", &group, None)).await;
    let response = verify(app, Some(&staff.token), &id_of(&a1), "verified", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = verify(
        app,
        Some(&staff.token),
        &id_of(&b1),
        "rejected",
        Some("No evidence"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    Claims {
        staff,
        alice,
        bob,
        group,
        a1,
        a2,
        b1,
        b2,
    }
}

#[tokio::test]
async fn staff_see_every_contribution_and_filter_them() {
    let app = TestApp::spawn().await;
    let Claims {
        staff,
        alice,
        bob,
        group,
        a1,
        a2,
        b1,
        b2,
    } = four_claims(&app).await;
    assert_eq!(
        ids(&listed(&app, &staff, "").await),
        ids_of(&[&a1, &a2, &b1, &b2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, &format!("&member={}", alice.id)).await),
        ids_of(&[&a1, &a2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&status=pending").await),
        ids_of(&[&a2, &b2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&status=verified").await),
        ids_of(&[&a1])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&status=rejected").await),
        ids_of(&[&b1])
    );
    assert_eq!(
        ids(&listed(&app, &staff, &format!("&group={group}")).await),
        ids_of(&[&a2, &b2])
    );
    // The region is the member's or the group's.
    assert_eq!(
        ids(&listed(&app, &staff, "&region=europe").await),
        ids_of(&[&a1, &a2, &b2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&region=dach").await),
        ids_of(&[&b1, &b2])
    );
    assert_eq!(
        ids(&listed(
            &app,
            &staff,
            &format!("&region=dach&status=pending&member={}", bob.id)
        )
        .await),
        ids_of(&[&b2])
    );
}

#[tokio::test]
async fn staff_page_through_contributions_newest_first_without_repeats() {
    let app = TestApp::spawn().await;
    let Claims { staff, a1, .. } = four_claims(&app).await;
    let first = app
        .get("/v1/contributions?limit=3", Some(&staff.token))
        .await;
    let first = body(first).await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(3));
    let cursor = first["next_cursor"].as_str().expect("a next cursor");
    let rest = items(
        &app,
        &staff.token,
        &format!("/v1/contributions?limit=3&cursor={cursor}"),
    )
    .await;
    assert_eq!(rest.len(), 1);
    assert_eq!(id_of(&rest[0]), id_of(&a1), "the oldest comes last");
}

#[tokio::test]
async fn an_unknown_status_region_or_member_filter_on_contributions_is_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let problem = assert_problem(
        app.get("/v1/contributions?status=approved", Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("status") || d.contains("approved")));
    let problem = assert_problem(
        app.get("/v1/contributions?region=atlantis", Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(error_fields(&problem), ["region"]);
    assert_problem(
        app.get("/v1/contributions?member=not-a-uuid", Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

/// Staff, Lea leading an approved group with Cory as co-organizer, and
/// Sid's pending talk linked to the group: `(staff, lea, cory, sid, claim id)`.
async fn a_linked_claim(app: &TestApp) -> (Member, Member, Member, Member, String) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let speaker = app.member("Sid Speaker").await;
    let group = approved_group(app, &staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    let claimed = claim(app, &speaker, &linked_claim("talk_given", &group, None)).await;
    (staff, lead, co, speaker, id_of(&claimed))
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

/// Staff, an ambassador of `europe` (FR), a group in FR, and a visitor from
/// JP with a claim linked to the group and one that is not:
/// `(ambassador, visitor, linked, unlinked)`.
async fn a_visitors_claims(app: &TestApp) -> (Member, Member, Value, Value) {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amy Ambassador", "europe").await;
    let lead = app.member("Lea Lead").await;
    let group = approved_group(app, &staff, &lead, "lyon-ops", "FR").await;
    let visitor = app.member("Vic Visitor").await;
    set_country(app, &visitor, "JP").await;
    let linked = claim(app, &visitor, &linked_claim("talk_given", &group, None)).await;
    let unlinked = claim(app, &visitor, &claim_request("talk_given")).await;
    (ambassador, visitor, linked, unlinked)
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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;

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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
    approved_group(&app, &staff, &other_lead, "paris-ops", "FR").await;
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

// ---------------------------------------------------------------------------
// Derived contributions
// ---------------------------------------------------------------------------

/// Staff, Lea leading an approved group with Cory as co-organizer, and a
/// scheduled event three days ago: `(staff, lea, cory, group, event)`.
async fn a_past_scheduled_event(app: &TestApp) -> (Member, Member, Member, String, Value) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let group = approved_group(app, &staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    let event = app.group_event(&lead, &group, -3, "scheduled", None).await;
    (staff, lead, co, group, event)
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

#[tokio::test]
async fn staff_list_derived_contributions_as_verified() {
    let app = TestApp::spawn().await;
    let (staff, lead, _, _, event) = a_past_scheduled_event(&app).await;
    patched(
        &app,
        &lead,
        &id_of(&event),
        &json!({"status": "held", "attendee_count": 80}),
    )
    .await;
    assert_eq!(listed(&app, &staff, "&status=verified").await.len(), 2);
}

#[tokio::test]
async fn leaving_held_and_coming_back_still_derives_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
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

/// Lea leading an approved group with Cory as co-organizer, and a batch of
/// two held and two scheduled events synced with key `first`:
/// `(lea, cory, group, batch)`.
async fn a_synced_batch(app: &TestApp) -> (Member, Member, String, Vec<Value>) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let group = approved_group(app, &staff, &lead, "lyon-ops", "FR").await;
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

/// Lea leading an approved group with an event held 20 days ago and one
/// five days ago still scheduled, then Luc joining:
/// `(lea, luc, held before, pending)`.
async fn a_late_organizer(app: &TestApp) -> (Member, Member, Value, Value) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let late = app.member("Luc Late").await;
    let group = approved_group(app, &staff, &lead, "lyon-ops", "FR").await;
    let before = app.held_event(&lead, &group, 20).await;
    let pending = app.group_event(&lead, &group, -5, "scheduled", None).await;
    app.add_co_organizer(&lead, &group, &late).await;
    (lead, late, before, pending)
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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
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
    let group = approved_group(&app, &staff, &lead, "lyon-ops", "FR").await;
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
