use actix_web::{post, web, HttpResponse};
use liaison_domain::webhook::WebhookEvent;
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::pass::PassStatus;
use liaison_domain::Scope;
use liaison_persistence::passes;

use super::json::{PassView, RedeemRequest};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Redeems a pass, once only (staff, `passes:redeem` keys).
///
/// A code whose check character is wrong is refused (422 `invalid_code`)
/// before any lookup.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = RedeemRequest,
    responses(
        (status = 200, description = "Redeemed", body = PassView),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:redeem` key"),
        (status = 404, description = "No pass with this code"),
        (status = 409, description = "Already redeemed (`already_redeemed`)"),
        (status = 410, description = "Revoked (`revoked`)"),
        (status = 422, description = "Not a valid code (`invalid_code`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:invalid_code", "title": "Unprocessable Entity", "status": 422,
           "detail": "code: the code's check character does not match: mistyped?", "code": "invalid_code",
           "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
           "errors": [{"field": "code", "code": "invalid_code", "message": "the code's check character does not match: mistyped?"}]}))
    )
)]
#[post("/passes/redeem")]
pub async fn redeem_pass(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<RedeemRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff_or_scope(Scope::PassesRedeem)?;
    let code = body.code()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let Some(pass) = passes::redeem(cmd.txn(), &code).await? else {
        // Not redeemable: say why.
        let pass = passes::find(cmd.txn(), None, Some(&code), false)
            .await?
            .ok_or(ApiError::NotFound)?;
        return Err(match pass.status {
            PassStatus::Revoked => ApiError::Gone {
                code: "revoked",
                detail: "this pass was revoked".into(),
            },
            _ => ApiError::conflict("already_redeemed", "this pass was already redeemed"),
        });
    };
    cmd.audit(AuditEvent::new("pass.redeemed", "pass", pass.id, json!({})))
        .await?;
    super::mail::publish(
        &cmd,
        WebhookEvent::PassRedeemed,
        std::slice::from_ref(&pass),
    )
    .await?;
    cmd.finish(Reply::ok(&PassView::from(pass))?).await
}
