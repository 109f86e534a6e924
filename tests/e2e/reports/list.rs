//! `GET /v1/ambassadors/{id}/reports`: anyone reads them, latest quarter first.

use liaison_tests::{assert_problem, body, exec, id_of, report_request, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn anyone_lists_an_ambassadors_reports_latest_first_page_by_page() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    exec(
        &app.db,
        "UPDATE ambassadorships SET term_start = '2025-01-01'",
    )
    .await;
    let id = id_of(&ambassadorship);
    for period in ["2026-Q1", "2026-Q3", "2026-Q2"] {
        let response = app
            .file_report(&ana, &id, period, &report_request(period))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{period}");
    }
    let path = format!("/v1/ambassadors/{id}/reports?limit=2");
    let page = body(app.get(&path, None).await).await;
    let periods: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["period"].as_str().expect("period"))
        .collect();
    assert_eq!(periods, ["2026-Q3", "2026-Q2"]);
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let rest = body(app.get(&format!("{path}&cursor={cursor}"), None).await).await;
    assert_eq!(rest["items"][0]["period"], "2026-Q1");
    assert_eq!(rest["next_cursor"], serde_json::Value::Null);
}

#[tokio::test]
async fn reports_of_an_unknown_ambassador_or_quarter_are_not_found() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (_, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let missing = "/v1/ambassadors/0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30/reports";
    assert_problem(app.get(missing, None).await, 404, "not_found").await;
    let none_yet = format!("/v1/ambassadors/{id}/reports/2026-Q3");
    assert_problem(app.get(&none_yet, None).await, 404, "not_found").await;
    let malformed = format!("/v1/ambassadors/{id}/reports/2026-Q7");
    assert_problem(app.get(&malformed, None).await, 422, "validation_failed").await;
}
