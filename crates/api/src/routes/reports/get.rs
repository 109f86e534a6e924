use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::report::Quarter;
use liaison_persistence::reports;

use super::json::ReportView;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// An ambassador's report for one quarter (anyone).
#[utoipa::path(
    tag = "ambassador programme",
    params(
        ("id" = Uuid, Path, description = "Ambassadorship id"),
        ("period" = crate::openapi_values::Quarter, Path, description = "`YYYY-Qn`", example = "2026-Q3")
    ),
    responses(
        (status = 200, description = "The report", body = ReportView),
        (status = 304, description = "Not modified: `If-None-Match` names the current `ETag`"),
        (status = 404, description = "No such ambassadorship, or no report for the quarter"),
        (status = 422, description = "`period` malformed (`invalid_period`)")
    )
)]
#[get("/ambassadors/{id}/reports/{period}")]
pub async fn get_report(
    state: web::Data<AppState>,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, raw) = path.into_inner();
    let period = Quarter::parse("period", &raw)?;
    let report_id = reports::find_for_period(&state.db, id, period)
        .await?
        .ok_or(ApiError::NotFound)?;
    let report = reports::find(&state.db, report_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&ReportView::from(report))
}
