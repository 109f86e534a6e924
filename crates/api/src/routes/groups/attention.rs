use actix_web::{get, web, HttpResponse};

use liaison_persistence::groups;
use liaison_persistence::regions;

use super::json::{list_item, GroupListItem};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// The active groups of a region that carry a health flag (its ambassadors and staff).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "Region slug"), PageParams),
    responses(
        (status = 200, description = "One page of flagged groups with their health, by slug", body = Page<GroupListItem>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an ambassador of the region or staff"),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}/groups/attention")]
pub async fn attention_list(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let region = regions::find_by_slug(&state.db, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !(me.is_staff() || me.is_ambassador_of(region.id)) {
        return Err(ApiError::forbidden(
            "only the region's ambassadors and staff read its attention list",
        ));
    }
    let flagged: Vec<GroupListItem> = groups::active_in_region(&state.db, region.id)
        .await?
        .into_iter()
        .map(list_item)
        .filter(|g| !g.health.flags.is_empty())
        .collect();
    let key = |g: &GroupListItem| g.group.slug.clone();
    reply::list(&Page::from_sorted(flagged, &page, key, |g| g)?)
}
