use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use uuid::Uuid;

use liaison_domain::report::Quarter;
use liaison_persistence::reports;

use super::json::{DraftQuery, DraftView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// A quarter's draft report for the ambassador's region, filled from data
/// (the ambassador, staff). Three statements whatever the region's size:
/// the ambassadorship, whether a report exists, and the figures.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Ambassadorship id"), DraftQuery),
    responses(
        (status = 200, description = "The quarter in figures", body = DraftView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither the ambassador nor staff"),
        (status = 404, description = "No such ambassadorship"),
        (status = 422, description = "`period` malformed (`invalid_period`) or not begun (`future_period`)")
    )
)]
#[get("/ambassadors/{id}/reports/draft")]
pub async fn draft_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<DraftQuery>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let now = Utc::now();
    let period = match &query.period {
        Some(raw) => Quarter::parse_begun("period", raw, now)?,
        None => Quarter::containing(now).previous(),
    };
    let ambassadorship = super::ambassadorship(&state.db, *id, false).await?;
    caller.permit(
        me.id == ambassadorship.member_id || me.is_staff(),
        "only the ambassador and staff draft a report",
    )?;
    let filed = reports::find_for_period(&state.db, ambassadorship.id, period).await?;
    let metrics = reports::metrics(&state.db, ambassadorship.region_id, period).await?;
    reply::resource(&DraftView::new(
        ambassadorship.id,
        ambassadorship.region_slug,
        period,
        metrics,
        filed,
    ))
}
