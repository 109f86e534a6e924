//! Service accounts: admins create, list and revoke them; their keys authenticate with scopes.

mod create;
mod list;
mod revoke;
mod scopes;

use liaison_tests::{assert_problem, body, count, Member, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// Creates a service account as the admin, asserting 201.
async fn create(app: &TestApp, admin: &Member, name: &str, scopes: &[&str]) -> Value {
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": name, "scopes": scopes}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {name}");
    body(response).await
}

/// Every service account, following the cursors with `limit`; asserts no key shows.
async fn list_all(app: &TestApp, admin: &Member, limit: u32) -> Vec<Value> {
    let mut accounts = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let path = match &cursor {
            Some(c) => format!("/v1/service-accounts?limit={limit}&cursor={c}"),
            None => format!("/v1/service-accounts?limit={limit}"),
        };
        let response = app.get(&path, Some(&admin.token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.expect("body");
        assert!(!text.contains("api_key"), "a list never shows keys: {text}");
        let page: Value = serde_json::from_str(&text).expect("JSON page");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= limit as usize);
        accounts.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return accounts,
        }
    }
    panic!("pagination does not end");
}

/// The callers who are not admins, with what they are answered: staff and a
/// member 403, an anonymous caller 401.
fn not_admins<'a>(
    staff: &'a Member,
    member: &'a Member,
) -> [(Option<&'a str>, u16, &'static str); 3] {
    [
        (Some(staff.token.as_str()), 403, "forbidden"),
        (Some(member.token.as_str()), 403, "forbidden"),
        (None, 401, "unauthenticated"),
    ]
}

/// After callers were refused: still exactly `existing`, unrevoked, and its key works.
async fn unchanged(app: &TestApp, admin: &Member, existing: &Value) {
    assert_eq!(count(&app.db, "service_accounts").await, 1);
    let listed = list_all(app, admin, 50).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["revoked_at"], Value::Null);
    let key = existing["api_key"].as_str().expect("api key");
    assert_problem(app.get("/v1/me", Some(key)).await, 403, "forbidden").await;
}
