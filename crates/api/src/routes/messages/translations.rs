use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::messages;

use super::json::{TranslationQuery, TranslationView};
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// A key message's translations, proposed, accepted and rejected, in the order proposed (anyone).
#[utoipa::path(
    tag = "key messages",
    params(("id" = Uuid, Path, description = "Message id"), TranslationQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<TranslationView>),
        (status = 400, description = "Unknown status, bad `limit` or `cursor`"),
        (status = 404, description = "No such message")
    )
)]
#[get("/messages/{id}/translations")]
pub async fn list_translations(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<TranslationQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let message = messages::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = page.limit()?;
    let rows = messages::translations(
        &state.db,
        message.id,
        query.status,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |t| t.id,
        TranslationView::from,
    ))
}
