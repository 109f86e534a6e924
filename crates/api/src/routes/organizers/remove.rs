use actix_web::{delete, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action};
use liaison_persistence::groups;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::routes::groups::access::visible_group;
use crate::state::AppState;

/// Removes an organizer (organizers; anyone may leave). The last organizer cannot leave.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Group id or slug"), ("member_id" = Uuid, Path, description = "Organizer to remove")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group, or the member is not an organizer"),
        (status = 409, description = "The last organizer cannot leave (`last_organizer`)")
    )
)]
#[delete("/groups/{id}/organizers/{member_id}")]
pub async fn remove_organizer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let (id, member_id) = path.into_inner();
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    // The group's row lock serialises removals, so two organizers removing
    // each other as the last two cannot both succeed.
    let (g, resource) = visible_group(txn, &caller, &id, true).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers remove organizers",
        ));
    }
    if !groups::is_organizer(txn, g.id, member_id).await? {
        return Err(ApiError::NotFound);
    }
    if groups::organizer_count(txn, g.id).await? <= 1 {
        return Err(ApiError::conflict(
            "last_organizer",
            "the last organizer cannot leave; add another first",
        ));
    }
    groups::remove_organizer(txn, g.id, member_id).await?;
    cmd.audit(AuditEvent::new(
        "group.organizer_removed",
        "group",
        g.id,
        json!({"member_id": member_id}),
    ))
    .await?;
    cmd.finish(Reply::no_content()).await
}
