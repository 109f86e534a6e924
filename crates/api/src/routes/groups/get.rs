use actix_web::{get, web, HttpResponse};

use super::access::visible_group;
use super::json::GroupView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One group, by id or slug.
#[utoipa::path(
    tag = "groups",
    params(("id_or_slug" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "The group, with an ETag", body = GroupView),
        (status = 404, description = "No such group, or pending and not yours to see")
    )
)]
#[get("/groups/{id_or_slug}")]
pub async fn get_group(
    state: web::Data<AppState>,
    caller: Caller,
    id_or_slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id_or_slug, false).await?;
    reply::resource(&GroupView::from(g))
}
