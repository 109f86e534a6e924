use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use liaison_persistence::events;

use super::json::EventView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// A group's events, by start time.
#[utoipa::path(
    tag = "events",
    params(("id" = String, Path, description = "Group id or slug"), PageParams),
    responses(
        (status = 200, description = "One page, with an `ETag`", body = Page<EventView>),
        (status = 304, description = "Not modified: `If-None-Match` names the page's current `ETag`"),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 404, description = "No such group, or not visible")
    )
)]
#[get("/groups/{id}/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let limit = page.limit()?;
    let rows = events::list_for_group(
        &state.db,
        g.id,
        page.cursor::<(DateTime<Utc>, Uuid)>()?,
        limit + 1,
    )
    .await?;
    // With an `ETag`, so that a group's site polls it with `If-None-Match`.
    reply::resource(&Page::from_rows(
        rows,
        limit,
        |e| (e.starts_at, e.id),
        EventView::from,
    ))
}
