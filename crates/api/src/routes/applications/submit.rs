use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use liaison_domain::ambassador;
use liaison_domain::application::ApplicationEvent;
use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::applications;
use liaison_persistence::{audit, cycles, members};

use super::access::{transition, visible};
use super::json::ApplicationView;
use super::view::render_application;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

pub(crate) async fn applicant_transition(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    event: ApplicationEvent,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let txn = state.db.begin().await?;
    let a = visible(&txn, caller, id, true).await?;
    if !can(
        &caller.actor,
        Action::Update,
        Resource::Application {
            applicant: a.member_id,
        },
    ) {
        return Err(ApiError::forbidden(
            "only the applicant submits or withdraws an application",
        ));
    }
    let next = transition(&a, event)?;
    let action = match event {
        ApplicationEvent::Submit => {
            let cycle = cycles::find(&txn, a.cycle_id, false)
                .await?
                .ok_or(ApiError::NotFound)?;
            if !ambassador::is_open(cycle.opens_at, cycle.closes_at, Utc::now()) {
                return Err(ApiError::conflict(
                    "cycle_closed",
                    "the cycle is not taking applications now",
                ));
            }
            let member = members::find(&txn, a.member_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            applications::submit(&txn, a.id, member.affiliation).await?;
            "application.submitted"
        }
        _ => {
            applications::set_status(&txn, a.id, next.as_str()).await?;
            "application.withdrawn"
        }
    };
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            action,
            "application",
            a.id,
            json!({"from": a.status, "to": next.as_str()}),
        ),
    )
    .await?;
    let updated = applications::find(&txn, a.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render_application(&txn, caller, updated).await?;
    txn.commit().await?;
    reply::resource(&view)
}

/// Submits a draft while the cycle is open (applicant).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Submitted", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the applicant"),
        (status = 404, description = "No such application"),
        (status = 409, description = "Not a draft (`invalid_transition`) or the cycle is closed (`cycle_closed`)")
    )
)]
#[post("/applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    applicant_transition(&state, &caller, *id, ApplicationEvent::Submit).await
}

/// Withdraws a draft or submitted application (applicant).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Withdrawn", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the applicant"),
        (status = 404, description = "No such application"),
        (status = 409, description = "Already decided or withdrawn (`invalid_transition`)")
    )
)]
#[post("/applications/{id}/withdraw")]
pub async fn withdraw_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    applicant_transition(&state, &caller, *id, ApplicationEvent::Withdraw).await
}
