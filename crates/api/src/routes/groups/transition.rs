//! Moving a group along its status machine: the one place a review and a
//! status change write the new status, audit it and answer the group.

use actix_web::HttpResponse;
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::group::GroupStatus;
use liaison_domain::webhook::WebhookEvent;
use liaison_persistence::groups::{self, Group};
use liaison_persistence::webhooks::{Published, Regions};

use super::json::GroupView;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;

/// 409 `invalid_transition`: the machine has no `from → to`.
pub(crate) fn transition_error(from: GroupStatus, to: GroupStatus) -> ApiError {
    ApiError::conflict(
        "invalid_transition",
        format!("a {} group cannot become {}", from.as_str(), to.as_str()),
    )
}

/// The trimmed reason (at most 2000 characters); 422 when `required` and absent.
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

/// Sets `g`'s status to `to` (the caller checked the transition), records
/// `action` with the reason, and answers the group as it is now.
pub(crate) async fn move_group(
    cmd: Command<'_>,
    g: &Group,
    to: GroupStatus,
    reason: Option<String>,
    action: &'static str,
) -> Result<HttpResponse, ApiError> {
    let from = g.status;
    groups::set_status(cmd.txn(), g.id, to.as_str(), reason.as_deref()).await?;
    cmd.audit(AuditEvent::new(
        action,
        "group",
        g.id,
        json!({"from": from.as_str(), "to": to.as_str(), "reason": reason}),
    ))
    .await?;
    let updated = groups::find(cmd.txn(), &g.id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let told = Published {
        group_id: Some(g.id),
        regions: Regions::OfGroup,
        data: json!({"group_id": g.id, "slug": updated.slug, "name": updated.name, "region": updated.region_slug,
                     "from": from.as_str(), "to": to.as_str(), "reason": reason}),
    };
    cmd.publish(WebhookEvent::GroupStatusChanged, &[told])
        .await?;
    cmd.finish(Reply::ok(&GroupView::from(updated))?).await
}
