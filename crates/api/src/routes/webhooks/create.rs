use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::webhooks;

use super::json::{CreateWebhook, CreatedWebhook, WebhookView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::outbox::webhook::new_secret;
use crate::state::AppState;

/// Subscribes a URL to event types (admins; an organizer with `group_ids` of groups they organize).
/// The answer carries the signing secret `whsec_…`, shown this once. Needs an `Idempotency-Key`.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = CreateWebhook,
    params(("Idempotency-Key" = String, Header, description = "Required: replays the first response for 24 h")),
    responses(
        (status = 201, description = "Subscribed; `Location` names it; the secret is shown only here", body = CreatedWebhook),
        (status = 400, description = "No `Idempotency-Key`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an admin, and not an organizer of every group in `group_ids` (or none given)"),
        (status = 409, description = "The key was used with another body (`idempotency_key_reused`)"),
        (status = 422, description = "Not an https URL (`invalid_url`, `https_required`), an unknown event type (`events[i]`), an unknown group or region")
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateWebhook>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let allow_private = state.settings.outbox.webhook_allow_private;
    let fields = super::fields(
        txn,
        &caller,
        allow_private,
        &body.url,
        &body.events,
        &body.group_ids,
        body.region.as_deref(),
    )
    .await?;
    let secret = new_secret();
    let id = webhooks::insert(txn, me, &fields, &secret).await?;
    let created = webhooks::find(txn, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.audit(AuditEvent::new(
        "webhook.created",
        "webhook",
        id,
        json!({"url": created.url, "events": created.events, "group_ids": created.group_ids, "region": created.region}),
    ))
    .await?;
    let view = CreatedWebhook {
        webhook: WebhookView::from(created),
        secret,
    };
    cmd.finish(Reply::created(&view, format!("/v1/webhooks/{id}"))?)
        .await
}
