//! `DELETE /v1/service-accounts/{id}`: revoking a key takes effect at once; admins only.

use liaison_tests::{assert_problem, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::{create, list_all, unchanged};

#[tokio::test]
async fn revoking_a_key_takes_effect_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = create(&app, &admin, "script", &["passes:read"]).await;
    let other = create(&app, &admin, "other script", &["passes:read"]).await;
    let key = created["api_key"].as_str().expect("api key");
    let other_key = other["api_key"].as_str().expect("api key");
    assert_problem(
        app.get("/v1/service-accounts", Some(key)).await,
        403,
        "forbidden",
    )
    .await;
    let path = format!(
        "/v1/service-accounts/{}",
        created["id"].as_str().expect("id")
    );
    let response = app
        .call(Method::DELETE, &path, Some(&admin.token))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get("/v1/service-accounts", Some(key)).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(app.get("/v1/me", Some(key)).await, 401, "unauthenticated").await;
    // The other key still works; the list shows when the first was revoked.
    assert_problem(app.get("/v1/me", Some(other_key)).await, 403, "forbidden").await;
    let listed = list_all(&app, &admin, 50).await;
    assert!(listed[0]["revoked_at"].is_string(), "{listed:?}");
    assert_eq!(listed[1]["revoked_at"], Value::Null);
    // Revoking again is harmless.
    let response = app
        .call(Method::DELETE, &path, Some(&admin.token))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn revoking_an_unknown_service_account_is_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = create(&app, &admin, "script", &["passes:read"]).await;
    for path in [
        format!("/v1/service-accounts/{}", uuid::Uuid::now_v7()),
        "/v1/service-accounts/not-a-uuid".to_owned(),
    ] {
        let response = app
            .call(Method::DELETE, &path, Some(&admin.token))
            .send()
            .await
            .expect("request");
        assert_problem(response, 404, "not_found").await;
    }
    let listed = list_all(&app, &admin, 50).await;
    assert_eq!(listed[0]["id"], created["id"]);
    assert_eq!(listed[0]["revoked_at"], Value::Null);
}

#[tokio::test]
async fn only_admins_revoke_service_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let existing = create(&app, &admin, "script", &["passes:read"]).await;
    let path = format!(
        "/v1/service-accounts/{}",
        existing["id"].as_str().expect("id")
    );
    // Service accounts are seen by admins alone: to anyone else the
    // account does not exist.
    let hidden = [
        (Some(staff.token.as_str()), 404, "not_found"),
        (Some(ada.token.as_str()), 404, "not_found"),
        (None, 401, "unauthenticated"),
    ];
    for (token, status, code) in hidden {
        let response = app
            .call(Method::DELETE, &path, token)
            .send()
            .await
            .expect("request");
        assert_problem(response, status, code).await;
    }
    unchanged(&app, &admin, &existing).await;
}
