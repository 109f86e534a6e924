use actix_web::{get, web, HttpResponse};

use liaison_persistence::groups;

use super::access::visible_group;
use super::json::{health_of, HealthView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// A group's health.
#[utoipa::path(
    tag = "groups",
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Figures and flags from the group's data", body = HealthView),
        (status = 404, description = "No such group, or not visible")
    )
)]
#[get("/groups/{id}/health")]
pub async fn group_health(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let health = groups::with_health(&state.db, g.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&health_of(&health))
}
