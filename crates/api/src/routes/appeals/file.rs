use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::values::text_len;
use liaison_persistence::{appeals, summits};

use super::json::{AppealRequest, AppealView};
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Appeals a summit programme's decision (members).
#[utoipa::path(
    tag = "appeals",
    security(("bearer" = [])),
    request_body = AppealRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("id" = Uuid, Path, description = "Summit id")),
    responses(
        (status = 201, description = "Filed", body = AppealView),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such summit"),
        (status = 409, description = "An open appeal exists (`already_exists`), or `Idempotency-Key` reused with another body"),
        (status = 422, description = "Invalid fields")
    )
)]
#[post("/summits/{id}/appeals")]
pub async fn file_appeal(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<AppealRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let message = text_len("message", &body.message, 10, 5000)?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    summits::find(cmd.txn(), *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let quotas = summits::quotas(cmd.txn(), vec![*id]).await?;
    if !quotas.iter().any(|q| q.program == body.program) {
        return Err(ApiError::invalid_field(
            "program",
            "unknown_program",
            "not offered at this summit",
        ));
    }
    let appeal = appeals::insert(cmd.txn(), *id, &body.program, me, &message)
        .await
        .on_constraint("appeals_one_open_key", || {
            ApiError::conflict(
                "already_exists",
                "you already have an open appeal for this programme",
            )
        })?;
    cmd.audit(AuditEvent::new(
        "appeal.filed",
        "appeal",
        appeal.id,
        json!({"summit_id": *id, "program": body.program}),
    ))
    .await?;
    let view = AppealView::from(appeal);
    cmd.finish(Reply::created(&view, format!("/v1/summits/{id}/appeals"))?)
        .await
}
