//! `GET /v1/service-accounts`: pages of accounts, never a key; admins only.

use liaison_tests::{assert_problem, error_fields, TestApp};

use super::{create, list_all, not_admins, unchanged};

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
async fn bad_paging_parameters_on_the_service_account_list_are_400() {
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
