use actix_web::{post, web, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::group::GroupStatus;
use liaison_domain::policy::{can, Action};
use liaison_persistence::groups;

use super::access::visible_group;
use super::json::{GroupView, ReviewDecision, ReviewGroup};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

pub(crate) fn transition_error(from: GroupStatus, to: GroupStatus) -> ApiError {
    ApiError::conflict(
        "invalid_transition",
        format!("a {} group cannot become {}", from.as_str(), to.as_str()),
    )
}

pub(crate) fn reason_of(
    reason: &Option<String>,
    required: bool,
) -> Result<Option<String>, ApiError> {
    match reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if r.chars().count() <= 2000 => Ok(Some(r.to_owned())),
        Some(_) => Err(ApiError::invalid_field(
            "reason",
            "length",
            "at most 2000 characters",
        )),
        None if required => Err(ApiError::invalid_field(
            "reason",
            "required",
            "a reason is required",
        )),
        None => Ok(None),
    }
}

/// Approves or rejects a pending group (an ambassador of its region, or staff; never its organizers).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = ReviewGroup,
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Reviewed", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an ambassador of the region or staff, or an organizer of the group"),
        (status = 404, description = "No such group, or not visible"),
        (status = 409, description = "Not pending (`invalid_transition`)"),
        (status = 422, description = "Rejection without a reason")
    )
)]
#[post("/groups/{id}/review")]
pub async fn review_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Json<ReviewGroup>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let reason = reason_of(&body.reason, body.decision == ReviewDecision::Reject)?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let (g, resource) = visible_group(txn, &caller, &id, true).await?;
    if !can(&caller.actor, Action::Review, resource) {
        return Err(ApiError::forbidden(
            "only an ambassador of the group's region or staff review it, never its organizers",
        ));
    }
    let to = match body.decision {
        ReviewDecision::Approve => GroupStatus::Provisional,
        ReviewDecision::Reject => GroupStatus::Rejected,
    };
    let from = g.status;
    if from != GroupStatus::Pending || !from.can_become(to) {
        return Err(transition_error(from, to));
    }
    groups::set_status(txn, g.id, to.as_str(), reason.as_deref()).await?;
    cmd.audit(AuditEvent::new(
        "group.reviewed",
        "group",
        g.id,
        json!({"from": from.as_str(), "to": to.as_str(), "reason": reason}),
    ))
    .await?;
    let updated = groups::find(txn, &g.id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&GroupView::from(updated))?).await
}
