use actix_web::{post, web, HttpResponse};
use serde_json::json;

use liaison_domain::account::check_password;
use liaison_domain::audit::AuditEvent;
use liaison_persistence::members;

use super::json::PasswordChange;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Changes the signed-in member's password.
///
/// Every refresh token is revoked and access tokens issued before are
/// refused, this one included: every device signs in again.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; every session is signed out"),
        (status = 401, description = "No valid access token"),
        (status = 422, description = "`current` is not the password (`wrong_password`), or `new` breaks the policy (`length`, `common_password`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:validation_failed", "title": "Unprocessable Entity", "status": 422, "detail": "current: this is not your current password", "code": "validation_failed", "errors": [{"field": "current", "code": "wrong_password", "message": "this is not your current password"}], "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 503, description = "Every password worker stayed busy for the whole bounded wait (`unavailable`, with `Retry-After`)")
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let member = super::confirmed_by_password(&state, &caller, "current", &body.current).await?;
    check_password("new", &body.new, &member.email)?;
    let hash = state.passwords.hash(body.new.clone()).await?;
    let cmd = Command::open(&state.db, &caller).await?;
    members::change_password(cmd.txn(), member.id, hash).await?;
    let event = AuditEvent::new("member.password_changed", "member", member.id, json!({}));
    cmd.audit(event).await?;
    cmd.finish(Reply::no_content()).await
}
