//! Service accounts as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use liaison_persistence::service_accounts::ServiceAccount;

/// A service account (never its key).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "name": "summit pass script", "scopes": ["passes:read", "passes:issue"],
    "group_ids": [], "key_prefix": "lia_3fQ9", "created_at": "2026-11-23T10:00:00Z", "revoked_at": null
}))]
pub struct ServiceAccountView {
    pub id: Uuid,
    pub name: String,
    /// `groups:sync`, `passes:read`, `passes:issue`, `passes:redeem`, `feedback:read`,
    /// `members:email` (members' emails in pass exports), `contributions:import`.
    pub scopes: Vec<String>,
    /// Groups a `groups:sync` key may push events for.
    pub group_ids: Vec<Uuid>,
    /// The key's first characters, to recognise it.
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&ServiceAccount> for ServiceAccountView {
    fn from(a: &ServiceAccount) -> Self {
        Self {
            id: a.id,
            name: a.name.clone(),
            scopes: a.scopes.clone(),
            group_ids: a.group_ids.clone(),
            key_prefix: a.key_prefix.clone(),
            created_at: a.created_at,
            revoked_at: a.revoked_at,
        }
    }
}

/// A new service account and its key, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "name": "summit pass script", "scopes": ["passes:read", "passes:issue"],
    "group_ids": [], "key_prefix": "lia_3fQ9", "created_at": "2026-11-23T10:00:00Z", "revoked_at": null,
    "api_key": "lia_3fQ9xT2kLmN8pQ4rS6tU1vW3yZ5aB7cD9eF0gH2"
}))]
pub struct CreatedServiceAccount {
    #[serde(flatten)]
    pub account: ServiceAccountView,
    /// Send as `Authorization: Bearer <api_key>`. Not shown again.
    pub api_key: String,
}

/// A service account to create.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[schema(example = json!({"name": "summit pass script", "scopes": ["passes:read", "passes:issue"]}))]
pub struct CreateServiceAccount {
    /// 1–100 characters (after trimming).
    #[schema(min_length = 1, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: String,
    /// At least one scope, at most every scope once (`Scope::ALL`).
    #[validate(length(min = 1, max = 7))]
    #[schema(min_items = 1, max_items = 7, value_type = Vec<crate::openapi_values::ScopeName>)]
    pub scopes: Vec<String>,
    /// Required with `groups:sync` (the groups the key may sync), empty otherwise.
    #[serde(default)]
    #[validate(length(max = 1000))]
    pub group_ids: Vec<Uuid>,
}
