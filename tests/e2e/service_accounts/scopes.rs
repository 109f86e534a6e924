//! What a service account's key may do: it authenticates, but is no member and no admin.

use liaison_tests::{assert_problem, body, count, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::create;

#[tokio::test]
async fn the_key_authenticates_a_service_account_that_is_not_a_member() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let created = create(
        &app,
        &admin,
        "all scopes",
        &["passes:read", "feedback:read"],
    )
    .await;
    let key = created["api_key"].as_str().expect("api key");
    let response = app.get("/v1/regions", Some(key)).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Known (403, not 401), but not a member: no profile, no admin powers.
    assert_problem(app.get("/v1/me", Some(key)).await, 403, "forbidden").await;
    assert_problem(
        app.get("/v1/service-accounts", Some(key)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            "/v1/service-accounts",
            Some(key),
            &json!({"name": "child", "scopes": ["passes:read"]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send_json(
            Method::PUT,
            &format!("/v1/members/{}/roles", ada.id),
            Some(key),
            &json!({"roles": ["admin"]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get("/v1/audit-log", Some(key)).await, 403, "forbidden").await;
    assert_eq!(count(&app.db, "service_accounts").await, 1);
    assert_eq!(
        body(app.get("/v1/me", Some(&ada.token)).await).await["roles"],
        json!([])
    );
}

#[tokio::test]
async fn a_key_that_was_never_issued_is_401() {
    let app = TestApp::spawn().await;
    let forged = format!("lia_{}", "x".repeat(40));
    assert_problem(
        app.get("/v1/me", Some(&forged)).await,
        401,
        "unauthenticated",
    )
    .await;
}
