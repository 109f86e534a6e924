use actix_web::{get, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use liaison_persistence::messages;

use super::json::GroupMessageView;
use super::render;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// The unexpired key messages for a group's region (all-region ones included), newest first, each in
/// the language `Accept-Language` chooses and saying whether this group acknowledged it. The page
/// carries an `ETag`: a group's website polls with `If-None-Match` and gets 304 until something changes.
#[utoipa::path(
    tag = "key messages",
    params(("id" = String, Path, description = "Group id or slug"), PageParams,
           ("Accept-Language" = Option<String>, Header, description = "Preferred languages, e.g. `fr-CA, fr;q=0.9, en;q=0.5`"),
           ("If-None-Match" = Option<String>, Header, description = "The page's previous `ETag`: 304 when it is unchanged")),
    responses(
        (status = 200, description = "One page, with an `ETag` and `Vary: Accept-Language`", body = Page<GroupMessageView>),
        (status = 304, description = "Not modified: `If-None-Match` names the page's current `ETag`"),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 404, description = "No such group, or not visible (a pending group to others than its organizers, the region's ambassadors and staff)")
    )
)]
#[get("/groups/{id}/messages")]
pub async fn group_messages(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let limit = page.limit()?;
    let rows = messages::for_group(
        &state.db,
        g.id,
        g.region_id,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    let acknowledged: Vec<bool> = rows.iter().map(|m| m.acknowledged).collect();
    let views = render::views(&state.db, render::accept_language(&req), rows).await?;
    let items: Vec<GroupMessageView> = views
        .into_iter()
        .zip(acknowledged)
        .map(|(message, acknowledged)| GroupMessageView {
            message,
            acknowledged,
        })
        .collect();
    // With an `ETag` over the page, so that polling it is free while nothing changes.
    let page = Page::from_rows(items, limit, |v| v.message.id, |v| v);
    Ok(render::with_language(reply::resource(&page)?, None))
}
