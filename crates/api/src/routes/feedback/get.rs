use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::policy::may_read_feedback;
use liaison_persistence::feedback;

use super::json::ItemView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One item (members, `feedback:read` keys).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Item id")),
    responses(
        (status = 200, description = "The item", body = ItemView),
        (status = 401, description = "No credentials"),
        (status = 403, description = "A key without `feedback:read`"),
        (status = 404, description = "No such item")
    )
)]
#[get("/feedback/{id}")]
pub async fn get_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        may_read_feedback(&caller.actor),
        "members and `feedback:read` keys only",
    )?;
    let item = feedback::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&ItemView::from(item))
}
