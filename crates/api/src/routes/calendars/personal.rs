use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use liaison_persistence::calendars;

use super::ics;
use crate::auth::secrets::digest;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedToken {
    /// The calendar token from `POST /v1/me/calendar-token`.
    #[param(example = "cal_4f9QeXbT2mLr8sVwK1yZ0aPn6cHdJuGi3oEtB7xR")]
    pub token: Option<String>,
}

/// A member's private feed: the events of every group they organise.
/// Calendar clients send no headers, so the token in the URL is the only
/// credential; it is revocable and shown once.
#[utoipa::path(
    tag = "calendars",
    params(FeedToken, ("If-None-Match" = Option<String>, Header, description = "The `ETag` last read")),
    responses(
        (status = 200, description = "The feed, with an `ETag`", content_type = "text/calendar", body = String,
         example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Liaison//Community events//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Olga Organizer's groups\r\nEND:VCALENDAR\r\n")),
        (status = 304, description = "Not modified: `If-None-Match` names the feed's current `ETag`"),
        (status = 401, description = "No token, or one that is unknown or revoked")
    )
)]
#[get("/me/calendar.ics")]
pub async fn personal_calendar(
    state: web::Data<AppState>,
    query: web::Query<FeedToken>,
) -> Result<HttpResponse, ApiError> {
    let unknown = || ApiError::Unauthenticated("a valid calendar token is required".into());
    let token = query.token.as_deref().ok_or_else(unknown)?;
    let holder = calendars::holder(&state.db, digest(token))
        .await?
        .ok_or_else(unknown)?;
    let events = calendars::organised_events(&state.db, holder.member_id).await?;
    Ok(ics::respond(
        &format!("{}'s groups", holder.display_name),
        &events,
    ))
}
