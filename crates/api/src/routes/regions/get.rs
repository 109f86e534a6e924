use actix_web::{get, web, HttpResponse};

use liaison_persistence::regions;

use super::json::RegionView;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One region.
#[utoipa::path(
    tag = "regions",
    params(("slug" = String, Path, description = "Region slug")),
    responses(
        (status = 200, description = "The region, with an ETag", body = RegionView),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}")]
pub async fn get_region(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let region = regions::find_by_slug(&state.db, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&RegionView::from(region))
}
