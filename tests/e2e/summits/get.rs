//! `GET /v1/summits/{id}`: a summit with its quotas used and remaining.

use liaison_tests::{assert_problem, body, id_of, manual_pass, programme_quota, summit, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

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
        programme_quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 300, "used": 1, "remaining": 299})
    );
    assert_eq!(programme_quota(&app, &id, "aoc").await["used"], 0);
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
