use actix_web::{delete, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::service_accounts;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;
use liaison_domain::policy::{can, Action, Resource};

/// Revokes a service account's key at once.
#[utoipa::path(
    tag = "service accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Service account id")),
    responses(
        (status = 204, description = "Revoked (also when it already was)"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such service account, or the caller is not an admin")
    )
)]
#[delete("/service-accounts/{id}")]
pub async fn revoke_service_account(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    // Service accounts are seen by admins alone: anyone else is told none exists.
    caller.require_visible(can(&caller.actor, Action::Read, Resource::ServiceAccounts))?;
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
