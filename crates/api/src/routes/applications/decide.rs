use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::application::ApplicationEvent;
use liaison_domain::audit::AuditEvent;
use liaison_domain::outbox::Topic;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::values::text_len;
use liaison_persistence::applications;
use liaison_persistence::cycles;

use super::access::{transition, visible};
use super::json::{ApplicationView, DecisionRequest, Outcome};
use super::select::select;
use super::view::render_application;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Decides an application (staff). Selecting beyond the region's seats, or
/// beyond the cycle's affiliation cap, answers 409. Selection creates an
/// active ambassadorship from today for the cycle's `term_months`.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = DecisionRequest,
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Decided", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such application"),
        (status = 409, description = "`seats_full`, `affiliation_cap_reached`, or not submitted (`invalid_transition`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:seats_full", "title": "Conflict", "status": 409, "detail": "all 3 seats of europe are filled", "code": "seats_full", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/applications/{id}/decision")]
pub async fn decide_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let peek = visible(txn, &caller, *id, false).await?;
    caller.permit_trusted(
        can(
            &caller.actor,
            Action::Decide,
            Resource::Application {
                applicant: peek.member_id,
            },
        ),
        "only staff decide applications",
    )?;
    // One lock per cycle, taken before counting seats: concurrent decisions
    // in a cycle serialise, so the last seat goes to exactly one of them.
    let cycle = cycles::find(txn, peek.cycle_id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let a = applications::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let event = match body.outcome {
        Outcome::Selected => ApplicationEvent::Select,
        Outcome::Declined => ApplicationEvent::Decline,
    };
    let next = transition(&a, event)?;
    let mut summary = json!({"outcome": next.as_str(), "reason": reason});
    if body.outcome == Outcome::Selected {
        let ambassadorship = select(&cmd, &cycle, &a).await?;
        summary["ambassadorship_id"] = json!(ambassadorship);
    }
    applications::decide(txn, a.id, next.as_str(), &reason, me.id).await?;
    cmd.mail(
        Topic::ApplicationDecided,
        &[(
            a.member_id,
            json!({"cycle": cycle.name, "outcome": next.as_str(), "reason": reason}),
        )],
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "application.decided",
        "application",
        a.id,
        summary,
    ))
    .await?;
    let updated = applications::find(txn, a.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render_application(txn, &caller, updated).await?;
    cmd.finish(Reply::ok(&view)?).await
}
