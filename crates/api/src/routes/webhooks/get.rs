use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use super::json::WebhookView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One subscription (its owner, admins), with its `ETag`.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Subscription id")),
    responses(
        (status = 200, description = "The subscription", body = WebhookView),
        (status = 304, description = "`If-None-Match` names the current `ETag`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such subscription, or not the caller's")
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let sub = super::managed(&state.db, &caller, *id, false).await?;
    reply::resource(&WebhookView::from(sub))
}
