use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::ambassadorships::{self, AmbassadorFilter};

use super::json::{AmbassadorQuery, AmbassadorView};
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Ambassadors, newest first.
#[utoipa::path(
    tag = "ambassador programme",
    params(AmbassadorQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<AmbassadorView>),
        (status = 400, description = "Unknown status, `overdue` not a boolean, bad `limit` or `cursor`")
    )
)]
#[get("/ambassadors")]
pub async fn list_ambassadors(
    state: web::Data<AppState>,
    query: web::Query<AmbassadorQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let filter = AmbassadorFilter {
        region: query.region.clone(),
        status: query.status,
        serving_on: None,
        overdue: query.overdue,
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
