use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::events;

use super::json::EventView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// One event (anyone who may see its group).
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event, with an ETag", body = EventView),
        (status = 404, description = "No such event, or its group is not visible")
    )
)]
#[get("/events/{id}")]
pub async fn get_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = events::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    visible_group(&state.db, &caller, &e.group_id.to_string(), false).await?;
    reply::resource(&EventView::from(e))
}
