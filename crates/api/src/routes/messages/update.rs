use actix_web::{patch, web, HttpRequest, HttpResponse};
use chrono::Utc;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::message::{check_expiry, parse_body, parse_languages, parse_link, parse_title};
use liaison_domain::policy::may_manage_message;
use liaison_persistence::messages::{self, MessageChanges};
use uuid::Uuid;

use super::json::{MessagePatch, MessageView};
use super::render;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Edits a key message (its author, staff): title, body, link, expires_at, languages. The audience
/// stays. Honours `If-Match` with the `ETag` of the message as the caller reads it (same
/// `Accept-Language`).
#[utoipa::path(
    tag = "key messages",
    security(("bearer" = [])),
    request_body = MessagePatch,
    params(("id" = Uuid, Path, description = "Message id"), ("If-Match" = Option<String>, Header, description = "ETag as last read"),
           ("Accept-Language" = Option<String>, Header, description = "The language of the answer, as for GET")),
    responses(
        (status = 200, description = "The changed message", body = MessageView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither its author nor staff"),
        (status = 404, description = "No such message"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields: title, body, link, expires_at in the past, languages[i]")
    )
)]
#[patch("/messages/{id}")]
pub async fn update_message(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<MessagePatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let mut errors = Errors::new();
    let changes = MessageChanges {
        title: body
            .title
            .as_deref()
            .and_then(|t| errors.take(parse_title("title", t))),
        body: body
            .body
            .as_deref()
            .and_then(|b| errors.take(parse_body("body", b))),
        link: body
            .link
            .as_ref()
            .map(|l| l.as_deref().and_then(|l| errors.take(parse_link(l)))),
        expires_at: body.expires_at.inspect(|at| {
            if let Some(at) = at {
                errors.take(check_expiry(*at, Utc::now()));
            }
        }),
        languages: body
            .languages
            .as_deref()
            .and_then(|l| errors.take(parse_languages(l))),
    };
    errors.finish()?;
    let wanted = render::accept_language(&req);
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = messages::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    caller.permit(
        may_manage_message(&caller.actor, current.author_id),
        "only the message's author and staff edit it",
    )?;
    etag::check_if_match(
        &req,
        &etag::of_value(&render::single(txn, &caller, wanted, current).await?)?,
    )?;
    messages::update(txn, *id, changes).await?;
    cmd.audit(AuditEvent::new(
        "message.updated",
        "message",
        *id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let updated = messages::find(txn, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view: MessageView = render::single(txn, &caller, wanted, updated).await?;
    let language = view.language.clone();
    let response = cmd.finish(Reply::ok(&view)?).await?;
    Ok(render::with_language(response, language.as_deref()))
}
