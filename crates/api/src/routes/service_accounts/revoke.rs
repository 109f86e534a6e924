use actix_web::{delete, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::service_accounts;

use super::create::admin_only;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;

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
