use actix_web::{get, web, HttpResponse};

use liaison_persistence::members;

use super::json::MemberView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// The caller's own profile.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Own profile, with private fields and an ETag", body = MemberView),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let member = members::find(&state.db, me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&MemberView::private(&member))
}
