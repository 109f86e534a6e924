//! `POST /v1/recognition-programs/{slug}/rules`: a new rules version; earlier ones never change.

use liaison_tests::{assert_problem, body, count, error_fields, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use super::{new_rules, program, weight};

/// `POST /v1/recognition-programs/{slug}/rules`.
async fn publish(app: &TestApp, token: Option<&str>, slug: &str, rules: &Value) -> Response {
    app.post(
        &format!("/v1/recognition-programs/{slug}/rules"),
        token,
        rules,
    )
    .await
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
