//! A member's roles kept in memory for reads (`LIAISON_CALLER_CACHE_SECS`):
//! a read with a token runs no query of its own for the caller, a change made
//! through one server reaches the reads of another at once (PostgreSQL
//! notifies every process), and writes never use what is kept.

use std::time::{Duration, Instant};

use liaison_tests::{TestApp, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Kept for a minute: anything seen sooner than that was heard, not expired.
async fn app_keeping_callers() -> TestApp {
    TestApp::spawn_with(|s| s.limits.caller_cache = Duration::from_secs(60)).await
}

/// The statements the server at `base` ran so far, from its `/metrics`.
async fn statements(app: &TestApp, base: &str) -> u64 {
    let text = app
        .client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find(|l| l.contains("db_statements_total "))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the statements counter")
}

async fn status_of(app: &TestApp, base: &str, path: &str, token: &str) -> StatusCode {
    app.client
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
        .status()
}

/// Polls the read until it answers `status`, within two seconds.
async fn comes_to(app: &TestApp, base: &str, path: &str, token: &str, status: StatusCode) {
    let start = Instant::now();
    loop {
        if status_of(app, base, path, token).await == status {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{path} never answered {status} on {base}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Statements run by `reads` reads of the region list with Ada's token.
async fn statements_of_reads(app: &TestApp, token: &str, reads: u64) -> u64 {
    let before = statements(app, &app.address).await;
    for _ in 0..reads {
        assert_eq!(
            status_of(app, &app.address, "/v1/regions", token).await,
            StatusCode::OK
        );
    }
    statements(app, &app.address).await - before
}

#[tokio::test]
async fn a_read_with_a_token_costs_no_query_for_the_caller_once_kept() {
    let app = app_keeping_callers().await;
    let ada = app.member("Ada").await;
    // Each read is the list's one statement, plus the caller's while not
    // kept; the outbox's own polling may add one or two. The listener
    // connects as the server starts, so a first round may still read Ada.
    let start = Instant::now();
    while statements_of_reads(&app, &ada.token, 5).await >= 8 {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the caller was never kept"
        );
    }
    let ran = statements_of_reads(&app, &ada.token, 20).await;
    assert!(
        ran < 30,
        "20 reads ran {ran} statements: the caller was read again"
    );
}

#[tokio::test]
async fn a_role_removed_through_one_server_is_gone_from_another_at_once_and_writes_never_wait() {
    let app = app_keeping_callers().await;
    let other = app.second_server().await;
    let admin = app.admin().await;
    let sam = app.member_with_roles("Sam Staff", &["staff"]).await;
    let audit = "/v1/audit-log";
    // Sam reads the audit log on the other server, which keeps his roles.
    comes_to(&app, &other, audit, &sam.token, StatusCode::OK).await;
    let removed = app
        .send_json(
            Method::PUT,
            &format!("/v1/members/{}/roles", sam.id),
            Some(&admin.token),
            &json!({"roles": []}),
        )
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    // A write checks the database itself: refused on the very next request.
    let region = app
        .client
        .post(format!("{other}/v1/regions"))
        .bearer_auth(&sam.token)
        .json(
            &json!({"slug": "oceania", "name": "Oceania", "ambassador_seats": 1, "countries": []}),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(region.status(), StatusCode::FORBIDDEN);
    // A read hears of it through PostgreSQL.
    comes_to(&app, &other, audit, &sam.token, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_changed_password_refuses_older_tokens_on_every_server() {
    let app = app_keeping_callers().await;
    let other = app.second_server().await;
    let ada = app.member("Ada").await;
    comes_to(&app, &other, "/v1/me", &ada.token, StatusCode::OK).await;
    // Access tokens are stamped to the second: let this one be older.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let changed = app
        .post(
            "/v1/me/password",
            Some(&ada.token),
            &json!({"current": PASSWORD, "new": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    comes_to(&app, &other, "/v1/me", &ada.token, StatusCode::UNAUTHORIZED).await;
}
