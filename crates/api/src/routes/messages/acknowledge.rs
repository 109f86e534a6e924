use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::group::GroupStatus;
use liaison_persistence::{groups, messages};

use super::json::{AcknowledgeRequest, AcknowledgementView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Acknowledges a key message on behalf of a group (its organizers), once per group: the first
/// acknowledgement answers 201, any later one (or a concurrent twin) 200 with the first.
#[utoipa::path(
    tag = "key messages",
    security(("bearer" = [])),
    request_body = AcknowledgeRequest,
    params(("id" = Uuid, Path, description = "Message id")),
    responses(
        (status = 200, description = "Already acknowledged by the group: the existing acknowledgement", body = AcknowledgementView),
        (status = 201, description = "Acknowledged", body = AcknowledgementView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer of the group"),
        (status = 404, description = "No such message"),
        (status = 422, description = "`group_id`: no such group (`unknown_group`), not active (`inactive_group`), or not in the message's audience (`not_in_audience`)")
    )
)]
#[post("/messages/{id}/acknowledgements")]
pub async fn acknowledge_message(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<AcknowledgeRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let message = messages::find(txn, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let group = groups::find(txn, &body.group_id.to_string(), false)
        .await?
        .ok_or_else(|| ApiError::invalid_field("group_id", "unknown_group", "no such group"))?;
    caller.permit(
        groups::is_organizer(txn, group.id, me).await?,
        "only the group's organizers acknowledge on its behalf",
    )?;
    if !matches!(
        group.status,
        GroupStatus::Provisional | GroupStatus::Official
    ) {
        return Err(ApiError::invalid_field(
            "group_id",
            "inactive_group",
            format!("a {} group does not take key messages", group.status),
        ));
    }
    let addressed = message.audience_all
        || group
            .region_id
            .is_some_and(|r| message.region_ids.contains(&r));
    if !addressed {
        return Err(ApiError::invalid_field(
            "group_id",
            "not_in_audience",
            "the message is not for this group's region",
        ));
    }
    let (ack, created) = messages::acknowledge(txn, message.id, group.id, me).await?;
    let view = AcknowledgementView::from(ack);
    let reply = if created {
        cmd.audit(AuditEvent::new(
            "message.acknowledged",
            "message",
            message.id,
            json!({"group_id": group.id}),
        ))
        .await?;
        // The message, whose acknowledgements it now counts.
        Reply::created(&view, format!("/v1/messages/{}", message.id))?
    } else {
        Reply::ok(&view)?
    };
    cmd.finish(reply).await
}
