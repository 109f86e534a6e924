use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use super::json::SummitView;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One summit, with quotas used and remaining.
#[utoipa::path(
    tag = "summits",
    params(("id" = Uuid, Path, description = "Summit id")),
    responses(
        (status = 200, description = "The summit", body = SummitView),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}")]
pub async fn get_summit(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    reply::resource(&SummitView::load(&state.db, *id).await?)
}
