//! API keys of service accounts, made by the admin as an operator would.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::{body, TestApp};

/// An API key of a new service account with `scopes` (and `group_ids` for `groups:sync`).
pub async fn api_key(app: &TestApp, scopes: &[&str], group_ids: &[&str]) -> String {
    let admin = app.admin().await;
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": format!("script {}", Uuid::new_v4().simple()), "scopes": scopes, "group_ids": group_ids}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "create service account"
    );
    body(response).await["api_key"]
        .as_str()
        .expect("api key")
        .to_owned()
}
