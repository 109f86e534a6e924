use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::event::EventStatus;
use liaison_domain::event::{self, EventInput};
use liaison_domain::policy::{can, Action};
use liaison_domain::recognition::Derivation;
use liaison_persistence::events;

use super::json::{fields_of, EventInputDto, EventView};
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// Creates one event (source `manual`; organizers).
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    request_body = EventInputDto,
    params(("id" = String, Path, description = "Group id or slug"), ("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = EventView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group"),
        (status = 409, description = "An event with this `external_id` exists in the group (`already_exists`)"),
        (status = 422, description = "Invalid fields (e.g. `ends_at` before `starts_at`)")
    )
)]
#[post("/groups/{id}/events")]
pub async fn create_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: Json<EventInputDto>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let valid = event::check("", EventInput::from(body.clone()), false)?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let (g, resource) = visible_group(txn, &caller, &id, false).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers create its events",
        ));
    }
    let external_id = valid
        .0
        .external_id
        .clone()
        .unwrap_or_else(|| Uuid::now_v7().to_string());
    let created = events::insert(txn, g.id, "manual", fields_of(valid.0, external_id))
        .await
        .on_constraint("events_group_source_external_key", || {
            ApiError::conflict("already_exists", "an event with this external_id exists")
        })?;
    if created.status == EventStatus::Held {
        liaison_persistence::contributions::derive(txn, &Derivation::EventsHeld(vec![created.id]))
            .await?;
    }
    cmd.publish_event_changes().await?;
    cmd.audit(AuditEvent::new(
        "event.created",
        "event",
        created.id,
        json!({"group_id": g.id, "title": created.title}),
    ))
    .await?;
    let reply = Reply::created(
        &EventView::from(created.clone()),
        format!("/v1/events/{}", created.id),
    )?;
    cmd.finish(reply).await
}
