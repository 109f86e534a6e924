use actix_web::{delete, post, web, HttpResponse};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::calendars;

use crate::auth::secrets::{digest, random_token};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;

/// A new calendar token, shown once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "token": "cal_4f9QeXbT2mLr8sVwK1yZ0aPn6cHdJuGi3oEtB7xR",
    "feed": "/v1/me/calendar.ics?token=cal_4f9QeXbT2mLr8sVwK1yZ0aPn6cHdJuGi3oEtB7xR"
}))]
pub struct CalendarTokenView {
    /// The secret; only its hash is kept, so it cannot be shown again.
    pub token: String,
    /// The private feed's path, to subscribe to.
    pub feed: String,
}

/// Creates the caller's calendar token, replacing (and so revoking) any
/// earlier one. No `Idempotency-Key`: a stored replay would keep the secret,
/// and a retry only makes another token.
#[utoipa::path(
    tag = "calendars",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The token, shown once", body = CalendarTokenView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key: calendar tokens belong to members")
    )
)]
#[post("/me/calendar-token")]
pub async fn create_calendar_token(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let member = caller.member()?.id;
    // `cal_` and 40 base62 characters (~238 bits), like an API key.
    let token = format!("cal_{}", random_token(40));
    let cmd = Command::open(&state.db, &caller).await?;
    calendars::replace_token(cmd.txn(), member, digest(&token)).await?;
    cmd.audit(AuditEvent::new(
        "calendar_token.created",
        "member",
        member,
        json!({}),
    ))
    .await?;
    let view = CalendarTokenView {
        feed: format!("/v1/me/calendar.ics?token={token}"),
        token,
    };
    cmd.finish(Reply::created(&view, "/v1/me/calendar.ics".into())?)
        .await
}

/// Revokes the caller's calendar token: the feed URL answers 401 from now on.
#[utoipa::path(
    tag = "calendars",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked (also when there was none)"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key: calendar tokens belong to members")
    )
)]
#[delete("/me/calendar-token")]
pub async fn revoke_calendar_token(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let member = caller.member()?.id;
    let cmd = Command::open(&state.db, &caller).await?;
    if calendars::revoke_token(cmd.txn(), member).await? {
        cmd.audit(AuditEvent::new(
            "calendar_token.revoked",
            "member",
            member,
            json!({}),
        ))
        .await?;
    }
    cmd.finish(Reply::no_content()).await
}
