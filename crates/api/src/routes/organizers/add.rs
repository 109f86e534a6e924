use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action};
use liaison_persistence::groups;
use liaison_persistence::members;

use super::json::{AddOrganizer, OrganizerView};
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// Adds a co-organizer (organizers).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = AddOrganizer,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 201, description = "Added: the new organizer", body = OrganizerView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group"),
        (status = 409, description = "Already an organizer (`already_exists`)"),
        (status = 422, description = "No such member (`member_id`)")
    )
)]
#[post("/groups/{id}/organizers")]
pub async fn add_organizer(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: Json<AddOrganizer>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let (g, resource) = visible_group(txn, &caller, &id, true).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers add organizers",
        ));
    }
    if members::find(txn, body.member_id)
        .await?
        .is_none_or(|m| m.erased_at.is_some())
    {
        return Err(ApiError::invalid_field(
            "member_id",
            "unknown_member",
            "no such member",
        ));
    }
    groups::add_organizer(txn, g.id, body.member_id)
        .await
        .on_constraint("group_organizers_pkey", || {
            ApiError::conflict("already_exists", "already an organizer of this group")
        })?;
    cmd.audit(AuditEvent::new(
        "group.organizer_added",
        "group",
        g.id,
        json!({"member_id": body.member_id}),
    ))
    .await?;
    let added = groups::organizers_of(txn, vec![g.id])
        .await?
        .into_iter()
        .find(|o| o.member_id == body.member_id)
        .ok_or(ApiError::NotFound)?;
    let view = OrganizerView::for_caller(&caller, &added);
    cmd.finish(Reply::created(
        &view,
        format!("/v1/groups/{}/organizers", g.id),
    )?)
    .await
}
