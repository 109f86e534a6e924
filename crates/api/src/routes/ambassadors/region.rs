use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::ambassador::AmbassadorStatus;
use liaison_persistence::ambassadorships::{self, AmbassadorFilter};
use liaison_persistence::regions;

use super::json::AmbassadorView;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// The active ambassadors of a region.
#[utoipa::path(
    tag = "regions",
    params(("slug" = String, Path, description = "Region slug"), PageParams),
    responses(
        (status = 200, description = "One page of active ambassadors", body = Page<AmbassadorView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}/ambassadors")]
pub async fn region_ambassadors(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    regions::find_by_slug(&state.db, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = page.limit()?;
    let filter = AmbassadorFilter {
        region: Some(slug.into_inner()),
        status: Some(AmbassadorStatus::Active),
        serving_on: Some(chrono::Utc::now().date_naive()),
        overdue: None,
    };
    let rows = ambassadorships::list(
        &state.db,
        &filter,
        liaison_domain::report::Quarter::last_due(chrono::Utc::now()),
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |s| s.id,
        AmbassadorView::from,
    ))
}
