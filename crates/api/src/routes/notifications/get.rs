use actix_web::{get, web, HttpResponse};

use liaison_persistence::outbox;

use super::json::NotificationsView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// The member's mail choices: each optional mail on or off, and those that always go.
#[utoipa::path(
    tag = "members",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The choices", body = NotificationsView),
        (status = 304, description = "Not modified: `If-None-Match` names the current `ETag`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key (choices are a member's)")
    )
)]
#[get("/me/notifications")]
pub async fn my_notifications(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let off = outbox::mail_off(&state.db, me).await?;
    reply::resource(&NotificationsView::of(&off))
}
