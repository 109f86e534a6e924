use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::message::{TranslationOutcome, TranslationStatus};
use liaison_domain::policy::may_decide_translation;
use liaison_domain::recognition::Derivation;
use liaison_domain::values::text_len;
use liaison_persistence::messages::{self, ACCEPTED_KEY};
use liaison_persistence::{contributions, Error as StoreError};

use super::json::TranslationDecision;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::messages::json::TranslationView;
use crate::state::AppState;

/// Accepts or rejects a proposed translation (the message's author or staff; never its translator).
/// Acceptance gives the translator a verified `localization` contribution, once per (message,
/// language), in the same transaction; readers asking for that language get it from then on.
#[utoipa::path(
    tag = "key messages",
    security(("bearer" = [])),
    request_body = TranslationDecision,
    params(("id" = Uuid, Path, description = "Translation id")),
    responses(
        (status = 200, description = "The decided translation", body = TranslationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither the message's author nor staff, or the translator"),
        (status = 404, description = "No such translation"),
        (status = 409, description = "Already decided (`invalid_transition`), or the message has an accepted translation into that language (`already_exists`)"),
        (status = 422, description = "Invalid note")
    )
)]
#[post("/translations/{id}/decision")]
pub async fn decide_translation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<TranslationDecision>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let note = body
        .note
        .as_deref()
        .map(|n| text_len("note", n, 1, 2000))
        .transpose()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let message_id = messages::translation(txn, *id)
        .await?
        .ok_or(ApiError::NotFound)?
        .message_id;
    // Every decision on the message's translations holds its row, so two
    // acceptances into one language run one after the other.
    let message = messages::find(txn, message_id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Read again under the lock: a decision that went first is seen.
    let t = messages::translation(txn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    caller.permit(
        may_decide_translation(&caller.actor, message.author_id, t.translator_id),
        "only the message's author and staff decide its translations, never their own",
    )?;
    if !t.status.can_be_decided() {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the translation is already {}", t.status),
        ));
    }
    let accepting = body.outcome == TranslationOutcome::Accepted;
    let taken = || {
        ApiError::conflict(
            "already_exists",
            format!(
                "the message has an accepted translation into `{}`",
                t.language
            ),
        )
    };
    if accepting && messages::has_accepted(txn, message.id, &t.language).await? {
        return Err(taken());
    }
    match messages::decide(
        txn,
        t.id,
        TranslationStatus::from(body.outcome),
        me,
        note.clone(),
    )
    .await
    {
        Err(StoreError::Duplicate(key)) if key == ACCEPTED_KEY => return Err(taken()),
        other => other?,
    }
    if accepting {
        contributions::derive(txn, &Derivation::TranslationAccepted(t.id)).await?;
    }
    cmd.audit(AuditEvent::new(
        "message.translation_decided",
        "message",
        message.id,
        json!({"translation_id": t.id, "language": t.language, "outcome": body.outcome, "note": note}),
    ))
    .await?;
    let decided = messages::translation(txn, t.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&TranslationView::from(decided))?)
        .await
}
