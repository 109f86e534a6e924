//! `POST /v1/recognition-programs`: staff create a programme with its first rules.

use liaison_tests::{assert_problem, body, count, error_fields, TestApp};
use reqwest::StatusCode;
use serde_json::json;

use super::{new_rules, program, weight};

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
    let all = body(app.get("/v1/recognition-programs", None).await).await["items"].clone();
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
