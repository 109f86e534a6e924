use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::webhooks;

use super::json::DeliveryView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;

/// Queues a test delivery (`webhook.ping`) through the outbox, whatever the subscription's filters
/// (its owner, admins). Follow it in the delivery log.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Subscription id")),
    responses(
        (status = 202, description = "Queued: the delivery, as the log shows it", body = DeliveryView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such subscription, or not the caller's")
    )
)]
#[post("/webhooks/{id}/ping")]
pub async fn ping_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let cmd = Command::open(&state.db, &caller).await?;
    let sub = super::managed(cmd.txn(), &caller, *id, false).await?;
    let delivery = cmd.ping(sub.id).await?;
    let view = webhooks::delivery(cmd.txn(), sub.id, delivery)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reply = Reply::with_status(
        actix_web::http::StatusCode::ACCEPTED,
        &DeliveryView::from(view),
        None,
    )?;
    cmd.finish(reply).await
}
