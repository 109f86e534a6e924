use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::cycles;

use super::json::{render, CycleView};
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Lists cycles, newest first.
#[utoipa::path(
    tag = "ambassador programme",
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<CycleView>),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/ambassador-cycles")]
pub async fn list_cycles(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let rows = cycles::list(&state.db, page.cursor::<Uuid>()?, limit + 1).await?;
    let regions = cycles::regions_of(&state.db, rows.iter().map(|c| c.id).collect()).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |c| c.id,
        |c| render(c, &regions),
    ))
}
