use actix_web::{delete, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::events;

use super::access::organised_event;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;

/// Deletes an event (organizers); the deletion appears in the change feed.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer of its group"),
        (status = 404, description = "No such event")
    )
)]
#[delete("/events/{id}")]
pub async fn delete_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = organised_event(txn, &caller, *id).await?;
    events::delete(txn, &current).await?;
    cmd.audit(AuditEvent::new(
        "event.deleted",
        "event",
        current.id,
        json!({"group_id": current.group_id, "title": current.title}),
    ))
    .await?;
    cmd.finish(Reply::no_content()).await
}
