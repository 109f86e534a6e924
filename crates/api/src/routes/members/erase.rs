use actix_web::{delete, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::values::text_len;
use liaison_domain::webhook::WebhookEvent;
use liaison_domain::FieldError;
use liaison_persistence::passes::{self, Pass, PassFilter};
use liaison_persistence::{members, personal_data};

use super::json::{ErasureByAdmin, ErasureBySelf};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::passes::mail::publish;
use crate::state::AppState;

/// Erases the signed-in member's account, confirmed with the password.
///
/// Email, name, city, affiliation, bio, links, languages and skills are
/// blanked and the name becomes "former member"; sessions, API keys the
/// member created and webhooks go. Votes, attendance, redeemed passes,
/// contributions (as counts) and audit entries (by id) stay; an
/// unredeemed pass is revoked and its place freed. The email may register
/// again, as a new member. A lead organizer or an active ambassador hands
/// over first (409 `handover_required`, naming each role).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = ErasureBySelf,
    responses(
        (status = 204, description = "Erased; the access token no longer works"),
        (status = 401, description = "No valid access token"),
        (status = 409, description = "A role must be handed over first (`handover_required`); `errors` names each: `lead_organizer` (field `groups/<id>`), `ambassador` (`ambassadorships/<id>`), `last_admin`", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:handover_required", "title": "Conflict", "status": 409, "detail": "hand over these roles before erasing the account", "code": "handover_required", "errors": [{"field": "groups/0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "code": "lead_organizer", "message": "lead organizer of Lisbon Ops: make another organizer lead"}], "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 422, description = "The password is wrong (`wrong_password`)"),
        (status = 503, description = "Every password worker stayed busy for the whole bounded wait (`unavailable`, with `Retry-After`)")
    )
)]
#[delete("/me")]
pub async fn erase_me(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<ErasureBySelf>,
) -> Result<HttpResponse, ApiError> {
    let member = super::confirmed_by_password(&state, &caller, "password", &body.password).await?;
    erase(&state, &caller, member.id, None).await
}

/// Erases a member's account on their request (admin), with a reason.
///
/// The same erasure as `DELETE /v1/me`; the reason goes to the audit log.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Member id")),
    request_body = ErasureByAdmin,
    responses(
        (status = 204, description = "Erased"),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such member, or erased already"),
        (status = 409, description = "A role must be handed over first (`handover_required`), as for `DELETE /v1/me`"),
        (status = 422, description = "Missing reason")
    )
)]
#[delete("/members/{id}")]
pub async fn erase_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ErasureByAdmin>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        can(
            &caller.actor,
            Action::Delete,
            Resource::Member {
                id: *id,
                profile_public: false,
            },
        ),
        "only admins erase other members' accounts",
    )?;
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    erase(&state, &caller, *id, Some(reason)).await
}

/// Erases `member` in one transaction, unless a role must be handed over.
async fn erase(
    state: &AppState,
    caller: &Caller,
    member: Uuid,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let cmd = Command::open(&state.db, caller).await?;
    // Role changes serialise with erasures, so two admins erasing each
    // other cannot leave none.
    members::lock_roles(cmd.txn()).await?;
    // Locked: a pass issued or a role given at once waits for the erasure.
    members::find_for_update(cmd.txn(), member)
        .await?
        .filter(|m| m.erased_at.is_none())
        .ok_or(ApiError::NotFound)?;
    let blockers = personal_data::blockers(cmd.txn(), member).await?;
    if !blockers.is_empty() {
        let errors = blockers
            .iter()
            .map(|b| {
                let name = b.name.clone().unwrap_or_default();
                let id = b.id.map(|i| i.to_string()).unwrap_or_default();
                match b.kind.as_str() {
                    "lead_organizer" => FieldError::new(
                        format!("groups/{id}"),
                        "lead_organizer",
                        format!("lead organizer of {name}: make another organizer lead"),
                    ),
                    "ambassador" => FieldError::new(
                        format!("ambassadorships/{id}"),
                        "ambassador",
                        format!("active ambassador of {name}: staff end the term first"),
                    ),
                    _ => FieldError::new(
                        "roles",
                        "last_admin",
                        "the last admin: make another member admin first",
                    ),
                }
            })
            .collect();
        return Err(ApiError::Conflict {
            code: "handover_required",
            detail: "hand over these roles before erasing the account".into(),
            errors,
        });
    }
    let revoked = personal_data::erase(cmd.txn(), member).await?;
    // A pass the erasure revoked is told of as any revocation is.
    if !revoked.is_empty() {
        let theirs = passes::list(
            cmd.txn(),
            &PassFilter {
                member: Some(member),
                ..Default::default()
            },
            None,
            None,
        )
        .await?;
        let revoked: Vec<Pass> = theirs
            .into_iter()
            .filter(|p| revoked.contains(&p.id))
            .collect();
        for pass in &revoked {
            cmd.audit(AuditEvent::new(
                "pass.revoked",
                "pass",
                pass.id,
                json!({"reason": "the member erased their account"}),
            ))
            .await?;
        }
        publish(&cmd, WebhookEvent::PassRevoked, &revoked).await?;
    }
    cmd.audit(AuditEvent::new(
        "member.erased",
        "member",
        member,
        json!({"by": if reason.is_some() { "admin" } else { "self" }, "reason": reason}),
    ))
    .await?;
    cmd.finish(Reply::no_content()).await
}
