use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::{FieldError, Scope};
use liaison_persistence::service_accounts::{self, NewServiceAccount};

use super::json::{CreateServiceAccount, CreatedServiceAccount, ServiceAccountView};
use crate::auth::{secrets, Caller};
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::http::validate;
use crate::state::AppState;

pub(crate) fn parse_scopes(body: &CreateServiceAccount) -> Result<Vec<Scope>, ApiError> {
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

pub(crate) fn admin_only(caller: &Caller) -> Result<(), ApiError> {
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
