use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::outbox::Topic;
use liaison_domain::policy::{can, Action};
use liaison_domain::recognition::ContributionStatus;
use liaison_persistence::contributions;

use super::access::resource_of;
use super::json::{ContributionView, VerificationDecision, VerificationRequest};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Verifies or rejects a pending contribution (never one's own).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = VerificationRequest,
    params(("id" = Uuid, Path, description = "Contribution id")),
    responses(
        (status = 200, description = "Decided", body = ContributionView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not a verifier of it, or one's own (`forbidden`)"),
        (status = 404, description = "No such contribution, or not visible"),
        (status = 409, description = "Already decided (`invalid_transition`)"),
        (status = 422, description = "Rejection without a note")
    )
)]
#[post("/contributions/{id}/verification")]
pub async fn verify_contribution(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<VerificationRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if body.decision == VerificationDecision::Rejected && note.is_none() {
        return Err(ApiError::invalid_field(
            "note",
            "required",
            "a rejection needs a note",
        ));
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(ApiError::invalid_field(
            "note",
            "length",
            "at most 2000 characters",
        ));
    }
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let c = contributions::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = resource_of(txn, &caller, &c).await?;
    if !can(&caller.actor, Action::Read, resource) {
        return Err(ApiError::NotFound);
    }
    caller.permit_trusted(can(&caller.actor, Action::Decide, resource), "contributions are verified by the group's organizers, the region's ambassadors or staff, never by the contributor")?;
    if c.status != ContributionStatus::Pending {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the contribution is already {}", c.status),
        ));
    }
    let status = match body.decision {
        VerificationDecision::Verified => ContributionStatus::Verified,
        VerificationDecision::Rejected => ContributionStatus::Rejected,
    };
    contributions::decide(txn, c.id, status, note.as_deref(), me.id).await?;
    cmd.mail(
        Topic::ContributionDecided,
        &[(
            c.member_id,
            json!({"title": c.title, "outcome": status, "note": note}),
        )],
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "contribution.decided",
        "contribution",
        c.id,
        json!({"status": status, "note": note}),
    ))
    .await?;
    let updated = contributions::find(txn, c.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&ContributionView::from(updated))?)
        .await
}
