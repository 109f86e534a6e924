use actix_web::{post, web, HttpResponse};

use liaison_domain::group::{self, GroupStatus, PromotionFacts};
use liaison_domain::policy::{can, Action};
use liaison_persistence::groups;

use super::access::visible_group;
use super::json::{GroupView, StatusChange, TargetStatus};
use super::transition::{move_group, reason_of, transition_error};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::screen::Json;
use crate::state::AppState;

/// Promotes a group to `official` (criteria checked now), makes it `inactive`, or back to `provisional`.
///
/// A refused promotion answers 409 `promotion_criteria_unmet`, listing every
/// unmet criterion with its measured value in `errors`.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = StatusChange,
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Changed", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an ambassador of the region or staff, or an organizer"),
        (status = 404, description = "No such group"),
        (status = 409, description = "`invalid_transition`, or `promotion_criteria_unmet` with every unmet criterion", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:promotion_criteria_unmet", "title": "Conflict", "status": 409,
           "detail": "the group does not meet the criteria for official status", "code": "promotion_criteria_unmet",
           "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
           "errors": [{"field": "organizers", "code": "too_few_organizers", "message": "1 organizer(s); at least 2 needed"},
                      {"field": "events", "code": "too_few_held_events", "message": "2 event(s) held in the last 365 days; at least 3 needed"}]})),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/groups/{id}/status")]
pub async fn change_group_status(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Json<StatusChange>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let reason = reason_of(&body.reason, true)?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let (g, resource) = visible_group(txn, &caller, &id, true).await?;
    caller.permit_trusted(
        can(&caller.actor, Action::Decide, resource),
        "only an ambassador of the group's region or staff change its status, never its organizers",
    )?;
    let to = match body.status {
        TargetStatus::Official => GroupStatus::Official,
        TargetStatus::Inactive => GroupStatus::Inactive,
        TargetStatus::Provisional => GroupStatus::Provisional,
    };
    let from = g.status;
    if !from.can_become(to) || (from == GroupStatus::Pending) {
        return Err(transition_error(from, to));
    }
    if to == GroupStatus::Official {
        let health = groups::with_health(txn, g.id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let unmet = group::unmet_promotion_criteria(PromotionFacts {
            organizers: health.organizers,
            held_last_365_days: health.held_last_365_days,
            coc_accepted: g.coc_accepted,
        });
        if !unmet.is_empty() {
            return Err(ApiError::Conflict {
                code: "promotion_criteria_unmet",
                detail: "the group does not meet the criteria for official status".into(),
                errors: unmet,
            });
        }
    }
    move_group(cmd, &g, to, reason, "group.status_changed").await
}
