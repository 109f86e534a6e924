use actix_web::{post, web, HttpRequest, HttpResponse};
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::pass::remaining;
use liaison_domain::{FieldError, Scope};
use liaison_persistence::{database, eligibility, passes, summits};

use super::json::{IssueRequest, IssueResult, IssuedView, PassView};
use super::mail::mail_issued;
use super::quota::new_code;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::idempotency;
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::routes::eligibility::rules::summit_rules;
use crate::state::AppState;

/// Issues passes in bulk (staff, `passes:issue` keys; `Idempotency-Key` required).
///
/// Eligible members without a pass at the summit, highest points first, then
/// earliest date of reaching the threshold, then member id, until the quota
/// is used. Concurrent calls — from any number of server processes — never
/// exceed the quota and never give one member two passes.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = IssueRequest,
    params(("id" = Uuid, Path, description = "Summit id"), ("Idempotency-Key" = String, Header, description = "Required; a retry replays the first answer")),
    responses(
        (status = 200, description = "Issued (or, in a dry run, who would be)", body = IssueResult),
        (status = 400, description = "Missing Idempotency-Key"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:issue` key"),
        (status = 404, description = "No such summit"),
        (status = 409, description = "Idempotency-Key reused with another body"),
        (status = 422, description = "`max` below 1, or a programme the summit does not offer (`program`: `unknown_program`)")
    )
)]
#[post("/summits/{id}/passes/issue")]
pub async fn issue_passes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<IssueRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff_or_scope(Scope::PassesIssue)?;
    if body.max.is_some_and(|m| m < 1) {
        return Err(ApiError::invalid_field(
            "max",
            "range",
            "must be at least 1",
        ));
    }
    // `program` is a field of the body here, not a query parameter: a
    // programme the summit does not offer is a 422 naming it.
    summit_rules(&state.db, *id, &body.program)
        .await
        .map_err(|e| match e {
            ApiError::Malformed { .. } => {
                ApiError::invalid_field("program", "unknown_program", "not offered at this summit")
            }
            other => other,
        })?;
    if idempotency::key_of(&req)?.is_none() {
        return Err(ApiError::Malformed {
            detail: "this endpoint requires an Idempotency-Key header".into(),
            errors: vec![FieldError::new(
                "idempotency-key",
                "required",
                "send a unique key per operation",
            )],
        });
    }
    if body.dry_run {
        return dry_run(&state, *id, &body).await;
    }
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    database::allow_bulk_statements(cmd.txn(), state.settings.limits.bulk_statement_timeout)
        .await?;
    // The quota row is locked before counting what is left: concurrent
    // issuances (and manual passes, and appeal grants) queue here.
    let q = summits::lock_quota(cmd.txn(), *id, &body.program)
        .await?
        .ok_or(ApiError::NotFound)?;
    let left = remaining(q.quota, q.used);
    let take = body.max.map_or(left, |m| m.min(left));
    let codes = (0..take).map(|_| new_code()).collect();
    let issued = passes::issue_bulk(cmd.txn(), *id, &body.program, left, body.max, codes).await?;
    mail_issued(&cmd, &issued).await?;
    // In issuance order, as the statement answers them.
    let issued: Vec<IssuedView> = issued
        .into_iter()
        .map(|p| IssuedView {
            member_id: p.member_id,
            points: p.points.map(i64::from).unwrap_or(0),
            pass: Some(PassView::just_issued(p)),
        })
        .collect();
    let result = IssueResult::after(&body, false, &q, issued);
    cmd.audit(AuditEvent::new(
        "passes.issued",
        "summit",
        *id,
        json!({"program": body.program, "count": result.issued_count, "max": body.max}),
    ))
    .await?;
    cmd.finish(Reply::ok(&result)?).await
}

/// Who a bulk issuance would give a pass now. It writes nothing, not even its
/// `Idempotency-Key`, so a script may dry-run with the key of the real call.
async fn dry_run(
    state: &AppState,
    summit: Uuid,
    body: &IssueRequest,
) -> Result<HttpResponse, ApiError> {
    let txn = state.db.begin().await?;
    database::allow_bulk_statements(&txn, state.settings.limits.bulk_statement_timeout).await?;
    let q = summits::quotas(&txn, vec![summit])
        .await?
        .into_iter()
        .find(|q| q.program == body.program)
        .ok_or(ApiError::NotFound)?;
    let left = remaining(q.quota, q.used);
    let take = body.max.map_or(left, |m| m.min(left)) as usize;
    let issued: Vec<IssuedView> = eligibility::eligible(&txn, summit, &body.program, None)
        .await?
        .into_iter()
        .filter(|e| !e.ever_held)
        .take(take)
        .map(|e| IssuedView {
            member_id: e.member_id,
            points: e.points,
            pass: None,
        })
        .collect();
    reply::list(&IssueResult::after(body, true, &q, issued))
}
