use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::webhooks;

use super::json::DeliveryView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;

/// Queues a delivery again, due now, whatever its status (its owner, admins). The `webhook-id`
/// stays the same, so a receiver that had it already sees a repeat.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Subscription id"),
        ("delivery_id" = Uuid, Path, description = "Delivery id (`webhook-id`)")
    ),
    responses(
        (status = 202, description = "Queued again", body = DeliveryView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such subscription or delivery, or not the caller's"),
        (status = 409, description = "A dispatcher is delivering it right now (`in_flight`)")
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/retry")]
pub async fn retry_delivery(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery_id) = path.into_inner();
    let cmd = Command::open(&state.db, &caller).await?;
    let sub = super::managed(cmd.txn(), &caller, id, false).await?;
    webhooks::delivery(cmd.txn(), sub.id, delivery_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !webhooks::retry(cmd.txn(), sub.id, delivery_id).await? {
        return Err(ApiError::conflict(
            "in_flight",
            "a dispatcher is delivering it right now; look again shortly",
        ));
    }
    cmd.audit(AuditEvent::new(
        "webhook.delivery_retried",
        "webhook",
        sub.id,
        json!({"delivery_id": delivery_id}),
    ))
    .await?;
    let view = webhooks::delivery(cmd.txn(), sub.id, delivery_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reply = Reply::with_status(
        actix_web::http::StatusCode::ACCEPTED,
        &DeliveryView::from(view),
        None,
    )?;
    cmd.finish(reply).await
}
