use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use super::json::{load_view, CycleView};
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One cycle.
#[utoipa::path(
    tag = "ambassador programme",
    params(("id" = Uuid, Path, description = "Cycle id")),
    responses(
        (status = 200, description = "The cycle, with an ETag", body = CycleView),
        (status = 404, description = "No such cycle")
    )
)]
#[get("/ambassador-cycles/{id}")]
pub async fn get_cycle(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    reply::resource(&load_view(&state.db, *id).await?)
}
