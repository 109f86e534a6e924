//! `POST /v1/auth/verify-email` and `…/resend`: the mailed token verifies
//! the address once; it is stored hashed and dropped from its mail's row.

use futures_util::future::join_all;
use liaison_tests::{assert_problem, body, error_fields, exec, scalar, TestApp};
use reqwest::StatusCode;
use serde_json::json;

const VERIFY: &str = "account.verify_email";

async fn verified(app: &TestApp, member: uuid::Uuid) -> i64 {
    scalar(
        &app.db,
        &format!("SELECT count(*) AS n FROM members WHERE id = '{member}' AND email_verified_at IS NOT NULL"),
    )
    .await
}

#[tokio::test]
async fn registering_mails_a_token_that_verifies_the_email_once() {
    let app = TestApp::spawn().await;
    let ada = app.unverified_member("Ada").await;
    let me = body(app.get("/v1/me", Some(&ada.token)).await).await;
    assert_eq!(me["email_verified"], false);
    let token = app.wait_for_token(&ada.email, VERIFY, 1).await;
    let mail = &app.account_mails(&ada.email)[0];
    assert_eq!(mail.subject, "Confirm your email address for Liaison");
    assert!(mail
        .body
        .contains(&format!("http://localhost:3000/verify-email?token={token}")));
    let response = app
        .post("/v1/auth/verify-email", None, &json!({"token": token}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer = body(response).await;
    assert_eq!(answer["member_id"], ada.id.to_string());
    assert!(answer["email_verified_at"].is_string());
    let me = body(app.get("/v1/me", Some(&ada.token)).await).await;
    assert_eq!(me["email_verified"], true);
    // Single use.
    let again = app
        .post("/v1/auth/verify-email", None, &json!({"token": token}))
        .await;
    let problem = assert_problem(again, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), vec!["token"]);
    assert_eq!(problem["errors"][0]["code"], "invalid_token");
}

#[tokio::test]
async fn the_token_is_stored_hashed_and_dropped_from_its_mail_once_sent() {
    let app = TestApp::spawn().await;
    let ada = app.unverified_member("Ada").await;
    let token = app.wait_for_token(&ada.email, VERIFY, 1).await;
    let (selector, verifier) = token.split_at(16);
    // The selector finds the row; the verifier is nowhere in clear.
    let rows = scalar(
        &app.db,
        &format!(
            "SELECT count(*) AS n FROM account_tokens WHERE selector = '{selector}'
               AND verifier_hash = sha256('{verifier}'::bytea)"
        ),
    )
    .await;
    assert_eq!(rows, 1);
    let start = std::time::Instant::now();
    loop {
        let kept = scalar(
            &app.db,
            &format!("SELECT count(*) AS n FROM outbox WHERE payload::text LIKE '%{verifier}%'"),
        )
        .await;
        if kept == 0 {
            break;
        }
        assert!(
            start.elapsed().as_secs() < 10,
            "the token stays in the outbox"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_unknown_malformed_or_expired_token_is_422_and_verifies_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.unverified_member("Ada").await;
    let token = app.wait_for_token(&ada.email, VERIFY, 1).await;
    let forged = format!("{}{}", &token[..16], "A".repeat(32));
    exec(
        &app.db,
        "UPDATE account_tokens SET expires_at = now() - interval '1 second'",
    )
    .await;
    for bad in [token.as_str(), forged.as_str(), "short", ""] {
        let response = app
            .post("/v1/auth/verify-email", None, &json!({"token": bad}))
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["code"], "invalid_token", "{bad}");
    }
    assert_eq!(verified(&app, ada.id).await, 0);
}

#[tokio::test]
async fn twenty_requests_spending_one_token_at_once_verify_once() {
    let app = TestApp::spawn().await;
    let ada = app.unverified_member("Ada").await;
    let token = app.wait_for_token(&ada.email, VERIFY, 1).await;
    let request = json!({"token": token});
    let calls = (0..20).map(|_| app.post("/v1/auth/verify-email", None, &request));
    let statuses: Vec<u16> = join_all(calls)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        19,
        "{statuses:?}"
    );
    let audited = scalar(
        &app.db,
        "SELECT count(*) AS n FROM audit_log WHERE action = 'member.email_verified'",
    )
    .await;
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_member_asks_for_another_mail_and_its_token_works() {
    let app = TestApp::spawn().await;
    let ada = app.unverified_member("Ada").await;
    app.wait_for_token(&ada.email, VERIFY, 1).await;
    let response = app
        .post("/v1/auth/verify-email/resend", Some(&ada.token), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let second = app.wait_for_token(&ada.email, VERIFY, 2).await;
    let response = app
        .post("/v1/auth/verify-email", None, &json!({"token": second}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Verified now: nothing more to send.
    let again = app
        .post("/v1/auth/verify-email/resend", Some(&ada.token), &json!({}))
        .await;
    assert_problem(again, 409, "already_verified").await;
    assert_eq!(
        scalar(&app.db, "SELECT count(*) AS n FROM account_tokens").await,
        2,
        "the refused resend stored no token"
    );
}

#[tokio::test]
async fn asking_for_another_mail_needs_a_member() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/v1/auth/verify-email/resend", None, &json!({}))
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    assert_eq!(scalar(&app.db, "SELECT count(*) AS n FROM outbox").await, 0);
}
