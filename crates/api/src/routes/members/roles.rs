use actix_web::{put, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::member::parse_roles;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::Role;
use liaison_persistence::members;

use super::json::{MemberView, RolesRequest};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Sets a member's roles (admins only). The last admin cannot lose the role.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = RolesRequest,
    params(("id" = Uuid, Path, description = "Member id")),
    responses(
        (status = 200, description = "The member with their new roles", body = MemberView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such member"),
        (status = 409, description = "It would leave no admin (`last_admin`)"),
        (status = 422, description = "Unknown role")
    )
)]
#[put("/members/{id}/roles")]
pub async fn set_member_roles(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<RolesRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    if !can(&caller.actor, Action::Update, Resource::MemberRoles) {
        return Err(ApiError::forbidden("only admins assign roles"));
    }
    let roles: Vec<String> = parse_roles(&body.roles)?
        .into_iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    let cmd = Command::open(&state.db, &caller).await?;
    members::lock_roles(cmd.txn()).await?;
    let member = members::find_for_update(cmd.txn(), *id)
        .await?
        .filter(|m| m.erased_at.is_none())
        .ok_or(ApiError::NotFound)?;
    let admin = Role::Admin.as_str();
    let was_admin = member.roles.iter().any(|r| r == admin);
    if was_admin
        && !roles.iter().any(|r| r == admin)
        && members::count_with_role(cmd.txn(), admin).await? <= 1
    {
        return Err(ApiError::conflict(
            "last_admin",
            "this is the last admin; make another admin first",
        ));
    }
    let before = member.roles.clone();
    let updated = members::set_roles(cmd.txn(), member, roles.clone()).await?;
    cmd.audit(AuditEvent::new(
        "member.roles_changed",
        "member",
        updated.id,
        json!({"from": before, "to": roles}),
    ))
    .await?;
    cmd.finish(Reply::ok(&MemberView::private(&updated))?).await
}
