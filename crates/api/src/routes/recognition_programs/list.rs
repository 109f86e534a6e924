use actix_web::{get, web, HttpResponse};

use liaison_persistence::recognition_programs;

use super::json::{render_rules, ProgramView};
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Every programme with its rules versions.
#[utoipa::path(
    tag = "recognition",
    params(PageParams),
    responses(
        (status = 200, description = "One page, by slug", body = Page<ProgramView>),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/recognition-programs")]
pub async fn list_programs(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let programs = recognition_programs::list(&state.db).await?;
    let (versions, kinds) = recognition_programs::rules(&state.db, None).await?;
    let page = Page::from_sorted(
        programs,
        &page,
        |p| p.slug.clone(),
        |p| {
            let rules = render_rules(&p.slug, &versions, &kinds);
            ProgramView {
                current_version: rules.last().map(|r| r.version),
                slug: p.slug,
                name: p.name,
                description: p.description,
                rules,
            }
        },
    )?;
    reply::list(&page)
}
