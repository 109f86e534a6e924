//! Service accounts: API keys for foundation scripts and group websites.
//! The key is shown once, at creation; only its SHA-256 is stored.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::{FieldError, Scope};
use liaison_persistence::service_accounts::{self, NewServiceAccount, ServiceAccount};

use crate::auth::{secrets, Caller};
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::http::validate;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_service_account)
        .service(list_service_accounts)
        .service(revoke_service_account);
}

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
    /// `members:email` (members' emails in pass exports).
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
    pub name: String,
    /// At least one scope.
    #[validate(length(min = 1, max = 5))]
    pub scopes: Vec<String>,
    /// Required with `groups:sync` (the groups the key may sync), empty otherwise.
    #[serde(default)]
    #[validate(length(max = 1000))]
    pub group_ids: Vec<Uuid>,
}

fn parse_scopes(body: &CreateServiceAccount) -> Result<Vec<Scope>, ApiError> {
    let mut errors = Errors::new();
    for e in validate::field_errors(body) {
        errors.push(e);
    }
    errors.take(liaison_domain::values::text_len("name", &body.name, 1, 100));
    let mut scopes: Vec<Scope> = body
        .scopes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s.parse::<Scope>() {
            Ok(scope) => Some(scope),
            Err(_) => {
                errors.push(FieldError::new(
                    format!("scopes[{i}]"),
                    "unknown_scope",
                    format!("unknown scope `{s}`"),
                ));
                None
            }
        })
        .collect();
    scopes.sort();
    scopes.dedup();
    let syncs = scopes.contains(&Scope::GroupsSync);
    if syncs && body.group_ids.is_empty() {
        errors.push(FieldError::new(
            "group_ids",
            "required",
            "a groups:sync key must list the groups it may sync",
        ));
    }
    if !syncs && !body.group_ids.is_empty() {
        errors.push(FieldError::new(
            "group_ids",
            "unexpected",
            "group_ids only apply to groups:sync keys",
        ));
    }
    errors.finish()?;
    Ok(scopes)
}

fn admin_only(caller: &Caller) -> Result<(), ApiError> {
    caller.member()?;
    if can(&caller.actor, Action::Create, Resource::ServiceAccounts) {
        Ok(())
    } else {
        Err(ApiError::forbidden("only admins manage service accounts"))
    }
}

/// Creates a service account and returns its API key once.
#[utoipa::path(
    tag = "service accounts",
    security(("bearer" = [])),
    request_body = CreateServiceAccount,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created; `api_key` is shown only now", body = CreatedServiceAccount),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an admin"),
        (status = 409, description = "Idempotency-Key reused with another body"),
        (status = 422, description = "Invalid fields")
    )
)]
#[post("/service-accounts")]
pub async fn create_service_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateServiceAccount>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&caller)?;
    let scopes = parse_scopes(&body)?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let api_key = secrets::new_api_key();
    let mut group_ids = body.group_ids.clone();
    group_ids.sort();
    group_ids.dedup();
    let account = service_accounts::insert(
        txn,
        NewServiceAccount {
            name: body.name.trim().to_owned(),
            key_prefix: api_key.chars().take(8).collect(),
            key_hash: secrets::digest(&api_key),
            scopes: scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            group_ids,
            created_by: caller.member().ok().map(|m| m.id),
        },
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "service_account.created",
        "service_account",
        account.id,
        json!({"name": account.name, "scopes": account.scopes, "group_ids": account.group_ids}),
    ))
    .await?;
    let created = CreatedServiceAccount {
        account: ServiceAccountView::from(&account),
        api_key,
    };
    let reply = Reply::created(&created, format!("/v1/service-accounts/{}", account.id))?;
    cmd.finish(reply).await
}

/// Lists service accounts, oldest first.
#[utoipa::path(
    tag = "service accounts",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ServiceAccountView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an admin")
    )
)]
#[get("/service-accounts")]
pub async fn list_service_accounts(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&caller)?;
    let limit = page.limit()?;
    let rows = service_accounts::list(&state.db, page.cursor::<Uuid>()?, limit + 1).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |a| a.id,
        |a| ServiceAccountView::from(&a),
    ))
}

/// Revokes a service account's key at once.
#[utoipa::path(
    tag = "service accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Service account id")),
    responses(
        (status = 204, description = "Revoked (also when it already was)"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such service account")
    )
)]
#[delete("/service-accounts/{id}")]
pub async fn revoke_service_account(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&caller)?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    service_accounts::find(txn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if service_accounts::revoke(txn, *id).await? {
        cmd.audit(AuditEvent::new(
            "service_account.revoked",
            "service_account",
            *id,
            json!({}),
        ))
        .await?;
    }
    cmd.finish(Reply::no_content()).await
}
