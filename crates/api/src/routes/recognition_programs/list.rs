use actix_web::{get, web, HttpResponse};

use liaison_persistence::recognition;

use super::json::{render_rules, ProgramView};
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// Every programme with its rules versions.
#[utoipa::path(tag = "recognition", responses((status = 200, description = "Programmes by slug", body = Vec<ProgramView>)))]
#[get("/recognition-programs")]
pub async fn list_programs(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let programs = recognition::programs(&state.db).await?;
    let (versions, kinds) = recognition::rules(&state.db, None).await?;
    let views: Vec<ProgramView> = programs
        .into_iter()
        .map(|p| {
            let rules = render_rules(&p.slug, &versions, &kinds);
            ProgramView {
                current_version: rules.last().map(|r| r.version),
                slug: p.slug,
                name: p.name,
                description: p.description,
                rules,
            }
        })
        .collect();
    reply::list(&views)
}
