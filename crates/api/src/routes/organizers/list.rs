use actix_web::{get, web, HttpResponse};

use liaison_domain::group::OrganizerRole;
use liaison_persistence::groups;

use super::json::{visible_organizers, OrganizerView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// A group's organizers: those with a private profile only to themselves and staff.
#[utoipa::path(
    tag = "groups",
    params(("id" = String, Path, description = "Group id or slug"), PageParams),
    responses(
        (status = 200, description = "One page: the lead first, then by the day they were added", body = Page<OrganizerView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 404, description = "No such group, or not visible")
    )
)]
#[get("/groups/{id}/organizers")]
pub async fn list_organizers(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let organizers =
        visible_organizers(&caller, groups::organizers_of(&state.db, vec![g.id]).await?);
    reply::list(&Page::from_sorted(
        organizers,
        &page,
        |o| (o.role != OrganizerRole::Lead, o.added_at, o.member_id),
        |o| o,
    )?)
}
