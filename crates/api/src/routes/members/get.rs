use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::members;

use super::json::MemberView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// A member's profile: public fields for everyone, private ones for the member and staff.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Member id")),
    responses(
        (status = 200, description = "The profile", body = MemberView),
        (status = 404, description = "No such member, or the profile is private")
    )
)]
#[get("/members/{id}")]
pub async fn get_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let member = members::find(&state.db, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = Resource::Member {
        id: member.id,
        profile_public: member.profile_public,
    };
    if !can(&caller.actor, Action::Read, resource) {
        return Err(ApiError::NotFound);
    }
    reply::resource(&MemberView::for_caller(&member, &caller))
}
