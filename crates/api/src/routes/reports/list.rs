use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::reports;

use super::json::ReportView;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// An ambassador's reports, latest quarter first (anyone).
#[utoipa::path(
    tag = "ambassador programme",
    params(("id" = Uuid, Path, description = "Ambassadorship id"), PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ReportView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 404, description = "No such ambassadorship")
    )
)]
#[get("/ambassadors/{id}/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let ambassadorship = super::ambassadorship(&state.db, *id, false).await?;
    let limit = page.limit()?;
    let rows = reports::list(
        &state.db,
        ambassadorship.id,
        page.cursor::<String>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |r| r.period.clone(),
        ReportView::from,
    ))
}
