use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::messages;

use crate::error::ApiError;
use crate::http::reply;
use crate::routes::messages::json::TranslationView;
use crate::state::AppState;

/// One translation of a key message (anyone).
#[utoipa::path(
    tag = "key messages",
    params(("id" = Uuid, Path, description = "Translation id")),
    responses(
        (status = 200, description = "The translation", body = TranslationView),
        (status = 404, description = "No such translation")
    )
)]
#[get("/translations/{id}")]
pub async fn get_translation(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let t = messages::translation(&state.db, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&TranslationView::from(t))
}
