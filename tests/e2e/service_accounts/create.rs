//! `POST /v1/service-accounts`: the key is shown once; validation; admins only.

use liaison_tests::{assert_problem, body, count, error_fields, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{create, list_all, not_admins, unchanged};

#[tokio::test]
async fn an_admin_creates_a_service_account_and_sees_its_key_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": " summit pass script ", "scopes": ["passes:issue", "passes:read", "passes:read"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let created = body(response).await;
    let id = created["id"].as_str().expect("id");
    assert_eq!(location, format!("/v1/service-accounts/{id}"));
    let key = created["api_key"].as_str().expect("api key");
    assert!(key.starts_with("lia_"), "{key}");
    assert!(key.len() >= 40, "{key}");
    assert_eq!(created["key_prefix"], &key[..8]);
    assert_eq!(created["name"], "summit pass script");
    assert_eq!(created["scopes"], json!(["passes:read", "passes:issue"]));
    assert_eq!(created["group_ids"], json!([]));
    assert_eq!(created["revoked_at"], Value::Null);
    // The list shows the account, never its key.
    let listed = list_all(&app, &admin, 50).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["key_prefix"], &key[..8]);
    assert!(listed[0].get("api_key").is_none());
    assert_eq!(count(&app.db, "service_accounts").await, 1);
}

#[tokio::test]
async fn a_sync_key_lists_the_groups_it_may_sync() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let group = uuid::Uuid::now_v7();
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": "meetup bridge", "scopes": ["groups:sync"], "group_ids": [group, group]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = body(response).await;
    assert_eq!(created["scopes"], json!(["groups:sync"]));
    assert_eq!(created["group_ids"], json!([group]));
}

#[tokio::test]
async fn only_admins_create_service_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let existing = create(&app, &admin, "script", &["passes:read"]).await;
    let request = json!({"name": "mine", "scopes": ["passes:issue"]});
    for (token, status, code) in not_admins(&staff, &ada) {
        assert_problem(
            app.post("/v1/service-accounts", token, &request).await,
            status,
            code,
        )
        .await;
    }
    unchanged(&app, &admin, &existing).await;
}

#[tokio::test]
async fn invalid_service_accounts_name_every_bad_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let audit_before = count(&app.db, "audit_log").await;
    let group = uuid::Uuid::now_v7();
    let cases = [
        (
            json!({"name": "script", "scopes": ["everything"]}),
            vec!["scopes[0]"],
        ),
        (
            json!({"name": "script", "scopes": ["passes:read", "root", "feedback:read"]}),
            vec!["scopes[1]"],
        ),
        (json!({"name": "script", "scopes": []}), vec!["scopes"]),
        (
            json!({"name": "sync", "scopes": ["groups:sync"]}),
            vec!["group_ids"],
        ),
        (
            json!({"name": "reader", "scopes": ["passes:read"], "group_ids": [group]}),
            vec!["group_ids"],
        ),
        (json!({"name": "", "scopes": ["passes:read"]}), vec!["name"]),
        (
            json!({"name": "n".repeat(101), "scopes": ["nope"]}),
            vec!["name", "scopes[0]"],
        ),
    ];
    for (request, fields) in cases {
        let response = app
            .post("/v1/service-accounts", Some(&admin.token), &request)
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), fields, "{request}");
    }
    assert_eq!(count(&app.db, "service_accounts").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    assert!(list_all(&app, &admin, 50).await.is_empty());
}

#[tokio::test]
async fn a_blank_service_account_name_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // The name is trimmed before it is stored, so blanks would store an empty name.
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": "   ", "scopes": ["passes:read"]}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["name"]);
    assert_eq!(count(&app.db, "service_accounts").await, 0);
}
