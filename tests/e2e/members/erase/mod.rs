//! `DELETE /v1/me` and `DELETE /v1/members/{id}`: erasure blanks what is the
//! member's and keeps what others rely on. The helpers here serve both verbs.

mod by_admin;
mod own_account;
mod traces;

use std::time::Duration;

use chrono::Duration as Days;
use liaison_tests::{
    assert_problem, body, claim, current_period, cutoff, error_fields, id_of, manual_pass,
    organizers_of, programme_quota, scalar, string_of, summit, today, verified_run, world, Member,
    TestApp, PASSWORD,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::me;

// Erasing, and reading back what was erased.

/// `DELETE /v1/me` as `who`, confirmed with `password`.
async fn erase_me(app: &TestApp, who: &Member, password: &str) -> Response {
    app.send_json(
        Method::DELETE,
        "/v1/me",
        Some(&who.token),
        &json!({ "password": password }),
    )
    .await
}

/// `DELETE /v1/members/{id}` as `token`, with `request` as the body.
async fn erase_member(app: &TestApp, token: &str, id: Uuid, request: &Value) -> Response {
    app.send_json(
        Method::DELETE,
        &format!("/v1/members/{id}"),
        Some(token),
        request,
    )
    .await
}

/// Whether the member's row is marked erased, read in SQL.
async fn is_erased(app: &TestApp, id: Uuid) -> bool {
    scalar(
        &app.db,
        &format!(
            "SELECT count(*)::bigint AS n FROM members WHERE id = '{id}' AND erased_at IS NOT NULL"
        ),
    )
    .await
        == 1
}

/// How many rows of `table` belong to the member (by `column`), read in SQL.
async fn rows_of(app: &TestApp, table: &str, column: &str, id: Uuid, extra: &str) -> i64 {
    scalar(
        &app.db,
        &format!("SELECT count(*)::bigint AS n FROM {table} WHERE {column} = '{id}'{extra}"),
    )
    .await
}

/// A GET as `token` that must answer 200; answers the body as text.
async fn text_of(app: &TestApp, token: Option<&str>, path: &str) -> String {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.expect("body")
}

/// A GET as `token` that must answer 200; answers the JSON body.
async fn json_of(app: &TestApp, token: Option<&str>, path: &str) -> Value {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    body(response).await
}

/// The CSV export of a list endpoint (`Accept: text/csv`) as `token`.
async fn csv_of(app: &TestApp, token: &str, path: &str) -> String {
    let response = app
        .call(Method::GET, path, Some(token))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv request");
    assert_eq!(response.status(), StatusCode::OK, "CSV of {path}");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    response.text().await.expect("csv body")
}

/// The member's export without its `exported_at`, to compare two moments.
async fn export_of(app: &TestApp, who: &Member) -> Value {
    let response = app.get("/v1/me/export", Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "export");
    let mut document = body(response).await;
    document
        .as_object_mut()
        .expect("an object")
        .remove("exported_at");
    document
}

/// The first of `markers` that `text` holds (case-insensitively), if any.
fn leaked<'a>(text: &str, markers: &'a [String]) -> Option<&'a String> {
    let text = text.to_lowercase();
    markers.iter().find(|m| text.contains(&m.to_lowercase()))
}

/// Waits (up to ten seconds) until the dispatcher has expanded every batch
/// of pass mails, so no mail row is written after the moment a test reads.
async fn pass_mails_expanded(app: &TestApp) {
    for _ in 0..100 {
        let open = scalar(
            &app.db,
            "SELECT count(*)::bigint AS n FROM outbox WHERE channel = 'batch' AND status = 'pending'",
        )
        .await;
        if open == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the pass mails were never expanded");
}

/// `POST /v1/passes/redeem` as staff, asserting 200.
async fn redeem(app: &TestApp, staff: &Member, pass: &Value) {
    let response = app
        .post(
            "/v1/passes/redeem",
            Some(&staff.token),
            &json!({"code": string_of(&pass["code"])}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "redeem");
}

/// The figures of the group that others read: its health without what
/// follows from the organizers (their number and the flags).
fn event_figures(health: &Value) -> Value {
    json!({
        "held_last_90_days": health["held_last_90_days"],
        "held_last_365_days": health["held_last_365_days"],
        "average_attendance": health["average_attendance"],
        "last_event_at": health["last_event_at"],
    })
}
