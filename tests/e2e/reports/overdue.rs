//! `overdue` on ambassadors: active, a term covering the quarter now due,
//! and no report for it 30 days after it ended.

use liaison_tests::{assert_problem, body, due_period, exec, id_of, report_request, TestApp};
use reqwest::StatusCode;

async fn overdue_members(app: &TestApp, query: &str) -> Vec<String> {
    let response = app.get(&format!("/v1/ambassadors?{query}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["member_id"].as_str().expect("member").to_owned())
        .collect()
}

#[tokio::test]
async fn an_ambassador_without_the_due_report_is_overdue_until_they_file_it() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, late) = app.ambassador(&staff, "Ana", "europe").await;
    let (ben, _new) = app.ambassador(&staff, "Ben", "europe").await;
    let (cho, ended) = app.ambassador(&staff, "Cho", "asia").await;
    app.serve_since_long_ago(&late).await;
    app.serve_since_long_ago(&ended).await;
    exec(&app.db, &format!(
        "UPDATE ambassadorships SET status = 'ended', status_reason = 'Stepped down' WHERE id = '{}'",
        id_of(&ended)
    ))
    .await;
    // Ben's term began today: the quarter due is before it.
    assert_eq!(
        overdue_members(&app, "overdue=true").await,
        [ana.id.to_string()]
    );
    let on_time = overdue_members(&app, "overdue=false").await;
    assert!(on_time.contains(&ben.id.to_string()) && on_time.contains(&cho.id.to_string()));
    let view = body(
        app.get(&format!("/v1/ambassadors/{}", id_of(&late)), None)
            .await,
    )
    .await;
    assert_eq!(view["overdue"], true);

    let period = due_period();
    let response = app
        .file_report(&ana, &id_of(&late), "due", &report_request(&period))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{period}");
    assert!(overdue_members(&app, "overdue=true").await.is_empty());
    let view = body(
        app.get(&format!("/v1/ambassadors/{}", id_of(&late)), None)
            .await,
    )
    .await;
    assert_eq!(view["overdue"], false);
}

#[tokio::test]
async fn overdue_must_be_a_boolean() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/ambassadors?overdue=maybe", None).await,
        400,
        "malformed_request",
    )
    .await;
}
