use actix_web::{post, web, HttpResponse};
use liaison_domain::webhook::WebhookEvent;
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::values::text_len;
use liaison_persistence::passes;

use super::json::{PassView, ReasonRequest};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Revokes a pass (staff); its place in the quota is freed.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = ReasonRequest,
    params(("id" = Uuid, Path, description = "Pass id")),
    responses(
        (status = 200, description = "Revoked", body = PassView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The holder, or an API key: not staff"),
        (status = 404, description = "No such pass, or not one the caller may see"),
        (status = 409, description = "Already revoked (`invalid_transition`)"),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/passes/{id}/revoke")]
pub async fn revoke_pass(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ReasonRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_authenticated()?;
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    let cmd = Command::open(&state.db, &caller).await?;
    let pass = passes::find(cmd.txn(), Some(*id), None, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    // A pass is seen by its holder and staff.
    let holder = caller
        .actor
        .member()
        .is_some_and(|m| m.id == pass.member_id);
    caller.require_visible(holder || liaison_domain::policy::is_staff(&caller.actor))?;
    caller.require_staff("revoke passes")?;
    if !passes::revoke(cmd.txn(), pass.id, &reason).await? {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the pass is already revoked",
        ));
    }
    cmd.audit(AuditEvent::new(
        "pass.revoked",
        "pass",
        pass.id,
        json!({"reason": reason}),
    ))
    .await?;
    let revoked = passes::find(cmd.txn(), Some(pass.id), None, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    super::mail::publish(
        &cmd,
        WebhookEvent::PassRevoked,
        std::slice::from_ref(&revoked),
    )
    .await?;
    cmd.finish(Reply::ok(&PassView::from(revoked))?).await
}
