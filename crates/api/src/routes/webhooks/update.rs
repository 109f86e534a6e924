use actix_web::{patch, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::webhooks;

use super::json::{WebhookPatch, WebhookView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Changes a subscription's URL, event types or filters (its owner, admins); `enabled: true`
/// re-enables one that was disabled (410, 3 days of failures), and its waiting deliveries resume.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = WebhookPatch,
    params(
        ("id" = Uuid, Path, description = "Subscription id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the change is based on")
    ),
    responses(
        (status = 200, description = "The subscription after the change", body = WebhookView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An organizer naming groups they do not organize, or none"),
        (status = 404, description = "No such subscription, or not the caller's"),
        (status = 412, description = "`If-Match` is not the current `ETag`"),
        (status = 422, description = "Not an https URL, an unknown event type, group or region")
    )
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<WebhookPatch>,
) -> Result<HttpResponse, ApiError> {
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = super::managed(txn, &caller, *id, true).await?;
    etag::check_if_match(&req, &etag::of_value(&WebhookView::from(current.clone()))?)?;
    let region = match &body.region {
        Some(r) => r.clone(),
        None => current.region.clone(),
    };
    let fields = super::fields(
        txn,
        &caller,
        state.settings.outbox.webhook_allow_private,
        body.url.as_deref().unwrap_or(&current.url),
        body.events.as_deref().unwrap_or(&current.events),
        body.group_ids.as_deref().unwrap_or(&current.group_ids),
        region.as_deref(),
    )
    .await?;
    webhooks::update(txn, current.id, &fields, body.enabled).await?;
    cmd.audit(AuditEvent::new(
        "webhook.updated",
        "webhook",
        current.id,
        json!(&*body),
    ))
    .await?;
    let updated = webhooks::find(txn, current.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&WebhookView::from(updated))?).await
}
