use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::pass::PassOrigin;
use liaison_domain::values::text_len;
use liaison_persistence::summits;

use super::json::{ManualPass, PassView};
use super::mail::mail_issued;
use super::quota::issue_one;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Issues one pass by hand, with a reason (staff), within the quota.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = ManualPass,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("id" = Uuid, Path, description = "Summit id")),
    responses(
        (status = 201, description = "Issued", body = PassView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such summit"),
        (status = 409, description = "`quota_exhausted`, the member already holds a pass (`already_has_pass`), has not verified their email (`email_unverified`), or `Idempotency-Key` reused with another body"),
        (status = 422, description = "Unknown member or programme, missing reason")
    )
)]
#[post("/summits/{id}/passes")]
pub async fn manual_pass(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ManualPass>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("issue passes by hand")?;
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    summits::find(cmd.txn(), *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let origin = PassOrigin::Manual;
    let pass = issue_one(
        cmd.txn(),
        *id,
        &body.program,
        body.member_id,
        origin,
        &reason,
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "pass.issued",
        "pass",
        pass.id,
        json!({"member_id": body.member_id, "program": body.program, "origin": origin, "reason": reason}),
    ))
    .await?;
    mail_issued(&cmd, std::slice::from_ref(&pass)).await?;
    let view = PassView::just_issued(pass);
    cmd.finish(Reply::created(&view, format!("/v1/summits/{id}/passes"))?)
        .await
}
