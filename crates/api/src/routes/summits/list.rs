use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::summits;

use super::json::SummitView;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Summits, newest first.
#[utoipa::path(
    tag = "summits",
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<SummitView>),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/summits")]
pub async fn list_summits(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let rows = summits::list(&state.db, page.cursor::<Uuid>()?, limit + 1).await?;
    let quotas = summits::quotas(&state.db, rows.iter().map(|s| s.id).collect()).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |s| s.id,
        |s| SummitView::new(s, &quotas),
    ))
}
