use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use super::access::visible;
use super::json::ApplicationView;
use super::view::render_application;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One application (applicant, reviewers, staff).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application, with an ETag", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such application, or not visible to you")
    )
)]
#[get("/applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let a = visible(&state.db, &caller, *id, false).await?;
    reply::resource(&render_application(&state.db, &caller, a).await?)
}
