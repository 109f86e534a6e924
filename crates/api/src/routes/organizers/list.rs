use actix_web::{get, web, HttpResponse};

use liaison_persistence::groups;

use super::json::{visible_organizers, OrganizerView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// A group's organizers: those with a private profile only to themselves and staff.
#[utoipa::path(
    tag = "groups",
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Lead first", body = Vec<OrganizerView>),
        (status = 404, description = "No such group, or not visible")
    )
)]
#[get("/groups/{id}/organizers")]
pub async fn list_organizers(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let organizers =
        visible_organizers(&caller, groups::organizers_of(&state.db, vec![g.id]).await?);
    reply::list(&organizers)
}
