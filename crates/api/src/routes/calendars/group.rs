use actix_web::{get, web, HttpResponse};

use liaison_persistence::calendars;

use super::ics;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// A group's events as an iCalendar feed to subscribe to (RFC 5545), with
/// an `ETag`; cancelled events stay in it with `STATUS:CANCELLED`.
#[utoipa::path(
    tag = "calendars",
    params(("id" = String, Path, description = "Group id or slug"), ("If-None-Match" = Option<String>, Header, description = "The `ETag` last read")),
    responses(
        (status = 200, description = "The feed, with an `ETag`", content_type = "text/calendar", body = String,
         example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Liaison//Community events//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Lyon Operators\r\nBEGIN:VEVENT\r\nUID:0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50@liaison\r\nDTSTAMP:20261123T100000Z\r\nDTSTART;TZID=Europe/Paris:20261210T190000\r\nDTEND;TZID=Europe/Paris:20261210T220000\r\nSUMMARY:Running upgrades without downtime\r\nLOCATION:La Cordée\\, Lyon\\, FR\r\nURL:https://example.org/events/305112233\r\nSTATUS:CONFIRMED\r\nLAST-MODIFIED:20261123T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")),
        (status = 304, description = "Not modified: `If-None-Match` names the feed's current `ETag`"),
        (status = 401, description = "A bad token (the feed needs none)"),
        (status = 404, description = "No such group, or not visible (a pending group, to others than its organizers and staff)")
    )
)]
#[get("/groups/{id}/events.ics")]
pub async fn group_calendar(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let events = calendars::group_events(&state.db, g.id).await?;
    Ok(ics::respond(&g.name, &events))
}
