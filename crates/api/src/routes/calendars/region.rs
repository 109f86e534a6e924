use actix_web::{get, web, HttpResponse};

use liaison_persistence::{calendars, regions};

use super::ics;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::groups::access::viewer_of;
use crate::state::AppState;

/// The events of a region's visible groups as an iCalendar feed (RFC 5545), with an `ETag`.
#[utoipa::path(
    tag = "calendars",
    params(("slug" = String, Path, description = "Region slug"), ("If-None-Match" = Option<String>, Header, description = "The `ETag` last read")),
    responses(
        (status = 200, description = "The feed, with an `ETag`", content_type = "text/calendar", body = String,
         example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Liaison//Community events//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Europe\r\nBEGIN:VEVENT\r\nUID:0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50@liaison\r\nDTSTAMP:20261123T100000Z\r\nDTSTART;TZID=Europe/Paris:20261210T190000\r\nDTEND;TZID=Europe/Paris:20261210T220000\r\nSUMMARY:Running upgrades without downtime\r\nSTATUS:CONFIRMED\r\nLAST-MODIFIED:20261123T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")),
        (status = 304, description = "Not modified: `If-None-Match` names the feed's current `ETag`"),
        (status = 401, description = "A bad token (the feed needs none)"),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}/events.ics")]
pub async fn region_calendar(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let region = regions::find_by_slug(&state.db, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let events = calendars::region_events(&state.db, &viewer_of(&caller.actor), region.id).await?;
    Ok(ics::respond(&region.name, &events))
}
