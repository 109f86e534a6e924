use actix_web::{get, web, HttpResponse};

use liaison_persistence::feedback;

use super::json::ComponentView;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Every component (anyone).
#[utoipa::path(
    tag = "feedback",
    params(PageParams),
    responses(
        (status = 200, description = "One page, by slug", body = Page<ComponentView>),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/components")]
pub async fn list_components(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let rows = feedback::components(&state.db).await?;
    reply::list(&Page::from_sorted(
        rows,
        &page,
        |c| c.slug.clone(),
        ComponentView::from,
    )?)
}
