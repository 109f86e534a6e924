//! `POST /v1/me/password`: the current password, a new one the policy
//! accepts, and every session signed out; hashes follow the configured cost.

use std::time::Duration;

use liaison_api::auth::passwords::Passwords;
use liaison_api::settings::{Argon2Params, HashPriority, HashingSettings};
use liaison_tests::{assert_problem, body, exec, scalar, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn change(app: &TestApp, token: Option<&str>, current: &str, new: &str) -> reqwest::Response {
    app.post(
        "/v1/me/password",
        token,
        &json!({"current": current, "new": new}),
    )
    .await
}

async fn signs_in(app: &TestApp, email: &str, password: &str) -> bool {
    app.post(
        "/v1/auth/token",
        None,
        &json!({"email": email, "password": password}),
    )
    .await
    .status()
        == StatusCode::OK
}

#[tokio::test]
async fn a_member_changes_their_password_and_every_session_signs_out() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    // Access tokens are stamped to the second: let this one be older.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = change(&app, Some(&ada.token), PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(!signs_in(&app, &ada.email, PASSWORD).await);
    assert!(signs_in(&app, &ada.email, NEW_PASSWORD).await);
    let refresh = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": ada.refresh_token}),
        )
        .await;
    assert_problem(refresh, 401, "unauthenticated").await;
    let old = app.get("/v1/me", Some(&ada.token)).await;
    let problem = assert_problem(old, 401, "unauthenticated").await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("sign in again")));
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM audit_log WHERE action = 'member.password_changed'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_wrong_current_password_or_a_weak_new_one_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let problem = assert_problem(
        change(&app, Some(&ada.token), "not the password", NEW_PASSWORD).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "current");
    assert_eq!(problem["errors"][0]["code"], "wrong_password");
    for (weak, code) in [
        ("short one", "length"),
        ("qwerty123456", "common_password"),
        (ada.email.as_str(), "common_password"),
    ] {
        let problem = assert_problem(
            change(&app, Some(&ada.token), PASSWORD, weak).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "new");
        assert_eq!(problem["errors"][0]["code"], code, "{weak}");
    }
    assert!(signs_in(&app, &ada.email, PASSWORD).await);
    assert_eq!(
        app.get("/v1/me", Some(&ada.token)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM members WHERE password_changed_at IS NOT NULL"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn changing_a_password_needs_a_member() {
    let app = TestApp::spawn().await;
    assert_problem(
        change(&app, None, PASSWORD, NEW_PASSWORD).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_hash_made_with_other_parameters_is_made_again_at_sign_in() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    // A hash as an older configuration (twice the memory) made it.
    let older = Passwords::start(&HashingSettings {
        argon2: Argon2Params {
            memory_kib: 2048,
            iterations: 1,
            parallelism: 1,
        },
        workers: 1,
        wait: Duration::from_secs(5),
        priority: HashPriority::Nice(0),
    })
    .expect("a pool");
    let hash = older.hash(PASSWORD.into()).await.expect("a hash");
    exec(
        &app.db,
        &format!(
            "UPDATE members SET password_hash = '{hash}' WHERE id = '{}'",
            ada.id
        ),
    )
    .await;
    assert!(signs_in(&app, &ada.email, PASSWORD).await);
    let stored = scalar(
        &app.db,
        &format!(
            "SELECT count(*) AS n FROM members WHERE id = '{}' AND password_hash LIKE '$argon2id$v=19$m=1024,t=1,p=1$%'",
            ada.id
        ),
    )
    .await;
    assert_eq!(stored, 1, "re-hashed with the configured cost");
    assert!(
        signs_in(&app, &ada.email, PASSWORD).await,
        "and it still verifies"
    );
    let me = body(app.get("/v1/me", Some(&ada.token)).await).await;
    assert_eq!(me["id"], ada.id.to_string(), "no session was revoked");
}
