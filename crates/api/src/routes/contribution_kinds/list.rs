use actix_web::{get, web, HttpResponse};

use liaison_persistence::contribution_kinds;

use super::json::KindView;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Every contribution kind.
#[utoipa::path(
    tag = "recognition",
    params(PageParams),
    responses(
        (status = 200, description = "One page, by slug", body = Page<KindView>),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/contribution-kinds")]
pub async fn list_kinds(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let kinds = contribution_kinds::list(&state.db).await?;
    reply::list(&Page::from_sorted(
        kinds,
        &page,
        |k| k.slug.clone(),
        |k| KindView {
            slug: k.slug,
            name: k.name,
            description: k.description,
        },
    )?)
}
