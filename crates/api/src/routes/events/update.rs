use actix_web::{patch, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::event::{self, EventInput, EventStatus};
use liaison_domain::recognition::Derivation;
use liaison_persistence::events;

use super::access::organised_event;
use super::json::{fields_of, EventPatch, EventView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Changes an event, e.g. marks it held with `attendee_count` (organizers). Honours `If-Match`.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    request_body = EventPatch,
    params(("id" = Uuid, Path, description = "Event id"), ("If-Match" = Option<String>, Header, description = "ETag as last read")),
    responses(
        (status = 200, description = "The changed event", body = EventView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer of its group"),
        (status = 404, description = "No such event"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/events/{id}")]
pub async fn update_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<EventPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = organised_event(txn, &caller, *id).await?;
    etag::check_if_match(&req, &etag::of_value(&EventView::from(current.clone()))?)?;
    let p = body.into_inner();
    let status = p.status.unwrap_or(current.status);
    let merged = EventInput {
        external_id: Some(current.external_id.clone()),
        title: p.title.unwrap_or(current.title.clone()),
        description: p.description.or(current.description.clone()),
        starts_at: p.starts_at.unwrap_or(current.starts_at),
        ends_at: p.ends_at.unwrap_or(current.ends_at),
        venue: p.venue.or(current.venue.clone()),
        city: p.city.or(current.city.clone()),
        country: p.country.or(current.country.clone()),
        online: p.online.unwrap_or(current.online),
        url: p.url.or(current.url.clone()),
        status,
        rsvp_count: p.rsvp_count.or(current.rsvp_count),
        timezone: Some(p.timezone.unwrap_or(current.timezone.clone())),
        // Leaving `held` drops the count: it only means something for a held event.
        attendee_count: if status == EventStatus::Held {
            p.attendee_count.or(current.attendee_count)
        } else {
            p.attendee_count
        },
    };
    let valid = event::check("", merged, false)?;
    let updated = events::update(
        txn,
        current.id,
        fields_of(valid.0, current.external_id.clone()),
        current.status,
    )
    .await?;
    if updated.status == EventStatus::Held && current.status != EventStatus::Held {
        liaison_persistence::contributions::derive(txn, &Derivation::EventsHeld(vec![updated.id]))
            .await?;
    }
    cmd.publish_event_changes().await?;
    cmd.audit(AuditEvent::new(
            "event.updated",
            "event",
            updated.id,
            json!({"from_status": current.status, "to_status": updated.status, "attendee_count": updated.attendee_count}),
        )).await?;
    cmd.finish(Reply::ok(&EventView::from(updated))?).await
}
