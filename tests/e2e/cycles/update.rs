//! `PATCH /v1/ambassador-cycles/{id}`: dates, seats and caps, `If-Match`, validation.

use chrono::{Duration, SubsecRound, Utc};
use liaison_tests::{assert_problem, at, body, count, error_fields, etag, id_of, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use super::read;

/// `PATCH /v1/ambassador-cycles/{id}` with an optional `If-Match`.
async fn patch(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/ambassador-cycles/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

#[tokio::test]
async fn only_staff_change_cycles() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let ada = app.member("Ada").await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let cycle = app.cycle(&staff, None, None).await;
    let id = id_of(&cycle);
    let changes = json!({"name": "Hijacked", "term_months": 60});
    assert_problem(
        patch(&app, Some(&ada.token), &id, None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(&app, Some(&ambassador.token), &id, None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(&app, None, &id, None, &changes).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(read(&app, &id).await, cycle);
}

#[tokio::test]
async fn patching_a_cycle_changes_dates_and_seats_and_keeps_absent_fields() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 5).await;
    let cycle = app.cycle(&staff, Some(&[("europe", 3)]), None).await;
    let id = id_of(&cycle);
    let current = etag(&app.get(&format!("/v1/ambassador-cycles/{id}"), None).await);
    let closes_at = Utc::now().trunc_subsecs(0) + Duration::days(60);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        Some(&current),
        &json!({
            "closes_at": closes_at,
            "max_per_affiliation": 1,
            "regions": [{"region": "europe", "seats": 4}, {"region": "asia"}],
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let updated = body(response).await;
    assert_eq!(at(&updated["closes_at"]), closes_at);
    assert_eq!(updated["max_per_affiliation"], 1);
    assert_eq!(
        updated["regions"],
        json!([
            {"region": "asia", "name": "Region asia", "seats": 5},
            {"region": "europe", "name": "Region europe", "seats": 4}
        ])
    );
    assert_eq!(updated["name"], cycle["name"], "absent fields stay");
    assert_eq!(updated["opens_at"], cycle["opens_at"]);
    assert_eq!(updated["weights"], cycle["weights"]);
    assert_eq!(updated["term_months"], cycle["term_months"]);
    let response = app.get(&format!("/v1/ambassador-cycles/{id}"), None).await;
    assert_eq!(etag(&response), returned_tag);
    assert_eq!(body(response).await, updated);
    assert_eq!(
        app.audited(&staff, "ambassador_cycle", "cycle.updated")
            .await,
        1
    );
}

#[tokio::test]
async fn an_invalid_cycle_patch_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let id = id_of(&cycle);
    let opens_at = at(&cycle["opens_at"]);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        None,
        &json!({
            "closes_at": opens_at - Duration::hours(1),
            "weights": {"track_record": 0.0, "geography": 0.0, "impact": 0.0},
            "term_months": 0,
            "regions": [{"region": "nowhere", "seats": 2}],
        }),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["weights", "closes_at", "term_months", "regions[0].region"]
    );
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        None,
        &json!({"weights": {"track_record": -2.0, "geography": 1.0, "impact": 1.0}}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["weights.track_record"]);
    assert_eq!(read(&app, &id).await, cycle);
    assert_eq!(count(&app.db, "cycle_regions").await, 1);
}

#[tokio::test]
async fn a_stale_if_match_on_a_cycle_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let id = id_of(&cycle);
    let stale = etag(&app.get(&format!("/v1/ambassador-cycles/{id}"), None).await);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        None,
        &json!({"term_months": 24}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        Some(&stale),
        &json!({"term_months": 6, "name": "Late writer"}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    let now = read(&app, &id).await;
    assert_eq!(now["term_months"], 24);
    assert_eq!(now["name"], cycle["name"]);
}

#[tokio::test]
async fn changing_an_unknown_cycle_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        patch(
            &app,
            Some(&staff.token),
            &unknown.to_string(),
            None,
            &json!({"term_months": 6}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "ambassador_cycles").await, 0);
}

#[tokio::test]
async fn null_removes_a_cycles_affiliation_cap_and_absence_keeps_it() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, Some(2)).await);
    let path = format!("/v1/ambassador-cycles/{cycle}");
    let response = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"term_months": 6}),
        )
        .await;
    assert_eq!(body(response).await["max_per_affiliation"], 2);
    let response = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"max_per_affiliation": null}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cycle = body(app.get(&path, None).await).await;
    assert_eq!(cycle["max_per_affiliation"], Value::Null);
    assert_eq!(cycle["term_months"], 6);
}
