use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::contributions;
use liaison_persistence::contributions::ContributionFilter;
use liaison_persistence::contributions::ContributionScope;

use super::json::ContributionView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// The caller's own contributions, newest first.
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ContributionView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me/contributions")]
pub async fn my_contributions(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let scope = ContributionScope {
        staff: false,
        member: me.id,
        ambassador_of: vec![],
        organises: vec![],
    };
    let filter = ContributionFilter {
        member: Some(me.id),
        ..Default::default()
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
