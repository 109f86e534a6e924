use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::outbox::Topic;
use liaison_domain::pass::{AppealStatus, PassOrigin};
use liaison_domain::values::text_len;
use liaison_persistence::{appeals, summits};

use super::json::{AppealDecision, AppealView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::passes::mail::mail_issued;
use crate::routes::passes::quota::issue_one;
use crate::state::AppState;

/// Decides an appeal (staff). Granting issues a pass in the same transaction, within the quota.
#[utoipa::path(
    tag = "appeals",
    security(("bearer" = [])),
    request_body = AppealDecision,
    params(("id" = Uuid, Path, description = "Appeal id")),
    responses(
        (status = 200, description = "Decided", body = AppealView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The appellant, or an API key: not staff"),
        (status = 404, description = "No such appeal, or not one the caller may see"),
        (status = 409, description = "Already decided (`invalid_transition`), `quota_exhausted`, or `already_has_pass`"),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/appeals/{id}/decision")]
pub async fn decide_appeal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<AppealDecision>,
) -> Result<HttpResponse, ApiError> {
    caller.require_authenticated()?;
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    let cmd = Command::open(&state.db, &caller).await?;
    let appeal = appeals::find(cmd.txn(), *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    // An appeal is seen by its member and staff.
    let appellant = caller
        .actor
        .member()
        .is_some_and(|m| m.id == appeal.member_id);
    caller.require_visible(appellant || liaison_domain::policy::is_staff(&caller.actor))?;
    let me = caller.require_staff("decide appeals")?.id;
    if appeal.status != AppealStatus::Open {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the appeal is already {}", appeal.status),
        ));
    }
    let status = AppealStatus::from(body.outcome);
    let pass = if status == AppealStatus::Granted {
        let origin = PassOrigin::Appeal;
        let (summit, program, member) = (appeal.summit_id, &appeal.program, appeal.member_id);
        let pass = issue_one(cmd.txn(), summit, program, member, origin, &reason).await?;
        cmd.audit(AuditEvent::new(
            "pass.issued",
            "pass",
            pass.id,
            json!({"member_id": member, "program": program, "origin": origin}),
        ))
        .await?;
        mail_issued(&cmd, std::slice::from_ref(&pass)).await?;
        Some(pass.id)
    } else {
        None
    };
    appeals::decide(cmd.txn(), appeal.id, status, &reason, me, pass).await?;
    let summit_name = summits::find(cmd.txn(), appeal.summit_id)
        .await?
        .map_or_else(String::new, |s| s.name);
    cmd.mail(
        Topic::AppealDecided,
        &[(appeal.member_id, json!({"summit": summit_name, "program": appeal.program, "outcome": status, "reason": reason}))],
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "appeal.decided",
        "appeal",
        appeal.id,
        json!({"outcome": status, "reason": reason}),
    ))
    .await?;
    let decided = appeals::find(cmd.txn(), appeal.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&AppealView::from(decided))?).await
}
