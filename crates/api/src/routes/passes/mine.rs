use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::passes::{self, PassFilter};

use super::json::PassView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// The caller's passes.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page, oldest first", body = Page<PassView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me/passes")]
pub async fn my_passes(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let filter = PassFilter {
        member: Some(me.id),
        ..Default::default()
    };
    let limit = page.limit()?;
    let rows = passes::list(&state.db, &filter, page.cursor::<Uuid>()?, Some(limit + 1)).await?;
    reply::list(&Page::from_rows(rows, limit, |p| p.id, PassView::from))
}
