use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::message::TranslationText;
use liaison_persistence::messages::{self, NewTranslation};

use super::json::{ProposeTranslation, TranslationView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Proposes a translation of a key message (any member); the author or staff decide it
/// (`POST /v1/translations/{id}/decision`). The body is Markdown, stored as sent and never rendered.
#[utoipa::path(
    tag = "key messages",
    security(("bearer" = [])),
    request_body = ProposeTranslation,
    params(("id" = Uuid, Path, description = "Message id"), ("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Proposed; `Location` names it", body = TranslationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such message"),
        (status = 409, description = "An accepted translation into that language exists (`already_exists`)"),
        (status = 422, description = "Invalid fields: language (or the original's own), title, body")
    )
)]
#[post("/messages/{id}/translations")]
pub async fn propose_translation(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ProposeTranslation>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let message = messages::find(txn, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let text = TranslationText::parse(
        &body.language,
        &body.title,
        &body.body,
        message.language.as_deref(),
    )?;
    // It could never be accepted: one accepted translation per language.
    if messages::has_accepted(txn, message.id, &text.language).await? {
        return Err(ApiError::conflict(
            "already_exists",
            format!(
                "the message has an accepted translation into `{}`",
                text.language
            ),
        ));
    }
    let language = text.language.clone();
    let tid = messages::propose(
        txn,
        NewTranslation {
            message_id: message.id,
            language: text.language,
            title: text.title,
            body: text.body,
            translator_id: me,
        },
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "message.translation_proposed",
        "message",
        message.id,
        json!({"translation_id": tid, "language": language}),
    ))
    .await?;
    let t = messages::translation(txn, tid)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::created(
        &TranslationView::from(t),
        format!("/v1/translations/{tid}"),
    )?)
    .await
}
