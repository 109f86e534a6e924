use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::ambassadorships;

use super::json::AmbassadorView;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One ambassadorship (public, as the list is), with the `ETag` that its
/// `PATCH` takes in `If-Match`.
#[utoipa::path(
    tag = "ambassador programme",
    params(("id" = Uuid, Path, description = "Ambassadorship id")),
    responses(
        (status = 200, description = "The ambassadorship", body = AmbassadorView),
        (status = 304, description = "Not modified: `If-None-Match` names the current `ETag`"),
        (status = 404, description = "No such ambassadorship")
    )
)]
#[get("/ambassadors/{id}")]
pub async fn get_ambassador(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let found = ambassadorships::find(
        &state.db,
        *id,
        liaison_domain::report::Quarter::last_due(chrono::Utc::now()),
        false,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    reply::resource(&AmbassadorView::from(found))
}
