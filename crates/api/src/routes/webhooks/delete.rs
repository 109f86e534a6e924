use actix_web::{delete, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::webhooks;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;

/// Deletes a subscription and its delivery log (its owner, admins).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Subscription id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such subscription, or not the caller's")
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let cmd = Command::open(&state.db, &caller).await?;
    let sub = super::managed(cmd.txn(), &caller, *id, true).await?;
    webhooks::delete(cmd.txn(), sub.id).await?;
    cmd.audit(AuditEvent::new(
        "webhook.deleted",
        "webhook",
        sub.id,
        json!({"url": sub.url}),
    ))
    .await?;
    cmd.finish(Reply::no_content()).await
}
