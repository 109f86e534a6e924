use actix_web::{get, web, HttpResponse};

use super::json::{program_view, ProgramView};
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One programme with all its rules versions.
#[utoipa::path(
    tag = "recognition",
    params(("slug" = String, Path, description = "Programme slug, e.g. `acc`")),
    responses(
        (status = 200, description = "The programme", body = ProgramView),
        (status = 404, description = "No such programme")
    )
)]
#[get("/recognition-programs/{slug}")]
pub async fn get_program(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    reply::resource(&program_view(&state.db, &slug).await?)
}
