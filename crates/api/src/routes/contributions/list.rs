use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::contributions;
use liaison_persistence::contributions::ContributionFilter;
use liaison_persistence::regions;

use super::access::scope_of;
use super::json::{ContributionQuery, ContributionView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Contributions: one's own, those one may verify, or all (staff). Newest first.
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    params(ContributionQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ContributionView>),
        (status = 400, description = "Unknown status or region, bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/contributions")]
pub async fn list_contributions(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ContributionQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_of(&state.db, &caller).await?;
    let region = match query.region.as_deref() {
        Some(slug) => Some(
            regions::find_by_slug(&state.db, slug, false)
                .await?
                .ok_or_else(|| ApiError::bad_param("region", "no such region"))?
                .id,
        ),
        None => None,
    };
    let filter = ContributionFilter {
        member: query.member,
        status: query.status.map(|s| s.as_str().to_owned()),
        region,
        group: query.group,
    };
    let limit = page.limit()?;
    let rows = contributions::list(
        &state.db,
        &scope,
        &filter,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |c| c.id,
        ContributionView::from,
    ))
}
