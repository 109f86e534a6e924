use actix_web::{post, web, HttpResponse};
use serde_json::json;

use liaison_domain::group::GroupStatus;
use liaison_domain::outbox::Topic;
use liaison_domain::policy::{can, Action};

use liaison_persistence::groups;

use super::access::visible_group;
use super::json::{GroupView, ReviewDecision, ReviewGroup};
use super::transition::{move_group, reason_of, transition_error};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::screen::Json;
use crate::state::AppState;

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
    caller.permit_trusted(
        can(&caller.actor, Action::Review, resource),
        "only an ambassador of the group's region or staff review it, never its organizers",
    )?;
    let to = match body.decision {
        ReviewDecision::Approve => GroupStatus::Provisional,
        ReviewDecision::Reject => GroupStatus::Rejected,
    };
    let from = g.status;
    if from != GroupStatus::Pending || !from.can_become(to) {
        return Err(transition_error(from, to));
    }
    let outcome = match body.decision {
        ReviewDecision::Approve => "approved",
        ReviewDecision::Reject => "rejected",
    };
    let organizers: Vec<_> = groups::organizers_of(txn, vec![g.id])
        .await?
        .into_iter()
        .map(|o| {
            (
                o.member_id,
                json!({"group": g.name, "outcome": outcome, "reason": reason}),
            )
        })
        .collect();
    cmd.mail(Topic::GroupReviewed, &organizers).await?;
    move_group(cmd, &g, to, reason, "group.reviewed").await
}
