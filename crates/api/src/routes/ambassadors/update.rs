use actix_web::{patch, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::ambassador::AmbassadorStatus;
use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::ambassadorships;

use super::json::{AmbassadorPatch, AmbassadorView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Ends or removes an active ambassadorship (staff).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = AmbassadorPatch,
    params(("id" = Uuid, Path, description = "Ambassadorship id"), ("If-Match" = Option<String>, Header, description = "The ambassadorship's `ETag`; a stale one is 412")),
    responses(
        (status = 200, description = "Changed", body = AmbassadorView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such ambassadorship"),
        (status = 409, description = "Not active (`invalid_transition`)"),
        (status = 412, description = "`If-Match` names another version (`precondition_failed`)"),
        (status = 422, description = "Missing reason, or status `active`")
    )
)]
#[patch("/ambassadors/{id}")]
pub async fn update_ambassador(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<AmbassadorPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let reason = body.reason.trim().to_owned();
    let mut errors = Vec::new();
    if body.status == AmbassadorStatus::Active {
        errors.push(liaison_domain::FieldError::new(
            "status",
            "invalid",
            "an ambassadorship can be `ended` or `removed`",
        ));
    }
    if !(1..=2000).contains(&reason.chars().count()) {
        errors.push(liaison_domain::FieldError::new(
            "reason",
            "length",
            "a reason of 1–2000 characters is required",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation {
            code: "validation_failed",
            errors,
        });
    }
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = ambassadorships::find(
        txn,
        *id,
        liaison_domain::report::Quarter::last_due(chrono::Utc::now()),
        true,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    caller.permit_trusted(
        can(
            &caller.actor,
            Action::Decide,
            Resource::Ambassadorship {
                member: current.member_id,
            },
        ),
        "only staff end or remove ambassadorships",
    )?;
    // Under the row lock, the tag of what a reader sees now.
    etag::check_if_match(
        &req,
        &etag::of_value(&AmbassadorView::from(current.clone()))?,
    )?;
    if current.status != AmbassadorStatus::Active {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the ambassadorship is already {}", current.status),
        ));
    }
    ambassadorships::set_status(txn, current.id, body.status, &reason).await?;
    cmd.audit(AuditEvent::new(
        "ambassadorship.status_changed",
        "ambassadorship",
        current.id,
        json!({"to": body.status.as_str(), "reason": reason}),
    ))
    .await?;
    let updated = ambassadorships::find(
        txn,
        current.id,
        liaison_domain::report::Quarter::last_due(chrono::Utc::now()),
        false,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&AmbassadorView::from(updated))?).await
}
