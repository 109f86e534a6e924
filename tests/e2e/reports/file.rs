//! `POST /v1/ambassadors/{id}/reports`: once per ambassador per quarter.

use futures_util::future::join_all;
use liaison_tests::{
    assert_problem, body, count, error_fields, exec, id_of, report_request, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;

async fn reports(app: &TestApp) -> i64 {
    count(&app.db, "activity_reports").await
}

#[tokio::test]
async fn the_ambassador_files_a_report_with_the_quarters_figures() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    app.serve_since_long_ago(&ambassadorship).await;
    let id = id_of(&ambassadorship);
    let owner = app.member("Owner").await;
    let lyon = app.approved_group(&staff, &owner, "lyon-ops", "FR").await;
    let event = id_of(&app.group_event(&owner, &lyon, -1, "held", Some(80)).await);
    exec(&app.db, &format!(
        "UPDATE events SET starts_at = '2026-08-01T18:00:00Z', ends_at = '2026-08-01T20:00:00Z' WHERE id = '{event}'"
    ))
    .await;
    exec(
        &app.db,
        "UPDATE ambassadorships SET term_start = '2026-01-01'",
    )
    .await;

    let response = app
        .file_report(&ana, &id, "q3", &report_request("2026-Q3"))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["location"],
        format!("/v1/ambassadors/{id}/reports/2026-Q3").as_str()
    );
    let report = body(response).await;
    assert_eq!(report["period"], "2026-Q3");
    assert_eq!(report["summary"], "Seven meetups across four cities.");
    assert_eq!(report["highlights"], json!(["Lyon reached 104"]));
    assert_eq!(report["metrics"]["events_held"], 1);
    assert_eq!(report["metrics"]["attendance"], 80);
    assert_eq!(report["ambassador_id"], id.as_str());

    // The same key replays; anyone reads it back, and the draft names it.
    let replay = app
        .file_report(&ana, &id, "q3", &report_request("2026-Q3"))
        .await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(body(replay).await["id"], report["id"]);
    let read = app
        .get(&format!("/v1/ambassadors/{id}/reports/2026-Q3"), None)
        .await;
    assert_eq!(read.status(), StatusCode::OK);
    assert!(read.headers().contains_key("etag"));
    assert_eq!(body(read).await, report);
    let draft = app
        .get(
            &format!("/v1/ambassadors/{id}/reports/draft?period=2026-Q3"),
            Some(&ana.token),
        )
        .await;
    assert_eq!(body(draft).await["report_id"], report["id"]);
    assert_eq!(
        app.audited(&staff, "activity_report", "report.filed").await,
        1
    );
}

#[tokio::test]
async fn a_second_report_for_the_quarter_is_already_exists() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    app.serve_since_long_ago(&ambassadorship).await;
    let id = id_of(&ambassadorship);
    let first = app
        .file_report(&ana, &id, "one", &report_request("2026-Q3"))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let second = app
        .file_report(&ana, &id, "two", &report_request("2026-Q3"))
        .await;
    assert_problem(second, 409, "already_exists").await;
    assert_eq!(reports(&app).await, 1);
}

#[tokio::test]
async fn twenty_filings_of_one_quarter_at_once_make_one_report() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    app.serve_since_long_ago(&ambassadorship).await;
    let id = id_of(&ambassadorship);
    let request = report_request("2026-Q3");
    let keys: Vec<String> = (0..20).map(|i| format!("race-{i}")).collect();
    let answers = join_all(keys.iter().map(|k| app.file_report(&ana, &id, k, &request))).await;
    let created = answers
        .iter()
        .filter(|r| r.status() == StatusCode::CREATED)
        .count();
    let conflicts = answers
        .iter()
        .filter(|r| r.status() == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, conflicts), (1, 19));
    assert_eq!(reports(&app).await, 1);
}

#[tokio::test]
async fn only_the_ambassador_files_and_a_key_is_required() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (_, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    app.serve_since_long_ago(&ambassadorship).await;
    let id = id_of(&ambassadorship);
    let path = format!("/v1/ambassadors/{id}/reports");
    let request = report_request("2026-Q3");
    assert_problem(
        app.post(&path, None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    // Staff do not file on an ambassador's behalf.
    assert_problem(
        app.file_report(&staff, &id, "k", &request).await,
        403,
        "forbidden",
    )
    .await;
    let missing = "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30";
    assert_problem(
        app.file_report(&staff, missing, "k2", &request).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(reports(&app).await, 0);
}

#[tokio::test]
async fn an_invalid_report_names_every_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    // Without a key: 400.
    let response = app
        .post(
            &format!("/v1/ambassadors/{id}/reports"),
            Some(&ana.token),
            &report_request("2026-Q3"),
        )
        .await;
    assert_problem(response, 400, "malformed_request").await;
    let bad = json!({"period": "2026-Q9", "summary": " ", "highlights": ["", "ok"]});
    let problem = assert_problem(
        app.file_report(&ana, &id, "bad", &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["period", "summary", "highlights[0]"]
    );
    let future = app
        .file_report(&ana, &id, "future", &report_request("2999-Q1"))
        .await;
    let problem = assert_problem(future, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "future_period");
    // The term began today: 2026-Q3 is outside it.
    exec(
        &app.db,
        "UPDATE ambassadorships SET term_start = '2026-10-01'",
    )
    .await;
    let outside = app
        .file_report(&ana, &id, "outside", &report_request("2026-Q3"))
        .await;
    let problem = assert_problem(outside, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "outside_term");
    assert_eq!(reports(&app).await, 0);
}
