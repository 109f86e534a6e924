//! Service accounts: admins create them (the key is shown once), list them
//! (never the key) and revoke them; the key authenticates until revoked.

use liaison_tests::{assert_problem, body, count, error_fields, Member, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

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
async fn the_list_pages_through_every_account_oldest_first_without_keys() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut created = Vec::new();
    for name in ["first", "second", "third"] {
        created.push(create(&app, &admin, name, &["passes:read"]).await);
    }
    let listed = list_all(&app, &admin, 1).await;
    let names: Vec<&str> = listed
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["first", "second", "third"]);
    for (account, original) in listed.iter().zip(&created) {
        assert_eq!(account["id"], original["id"]);
        assert!(account.get("api_key").is_none());
    }
}

#[tokio::test]
async fn bad_paging_parameters_on_the_list_are_400() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    create(&app, &admin, "script", &["passes:read"]).await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("cursor=not-a-cursor", "cursor"),
    ] {
        let response = app
            .get(&format!("/v1/service-accounts?{query}"), Some(&admin.token))
            .await;
        let problem = assert_problem(response, 400, "malformed_request").await;
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
    assert_eq!(list_all(&app, &admin, 50).await.len(), 1);
}

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
async fn only_admins_list_service_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let existing = create(&app, &admin, "script", &["passes:read"]).await;
    for (token, status, code) in not_admins(&staff, &ada) {
        assert_problem(app.get("/v1/service-accounts", token).await, status, code).await;
    }
    unchanged(&app, &admin, &existing).await;
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
    for (token, status, code) in not_admins(&staff, &ada) {
        let response = app
            .call(Method::DELETE, &path, token)
            .send()
            .await
            .expect("request");
        assert_problem(response, status, code).await;
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
