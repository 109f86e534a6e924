use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use liaison_domain::ambassador;
use liaison_domain::application::Answers;
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::FieldError;
use liaison_persistence::applications::{self, NewApplication};
use liaison_persistence::cycles;
use liaison_persistence::members;

use super::json::CreateApplication;
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::applications::json::ApplicationView;
use crate::routes::applications::view::render_application;
use crate::state::AppState;

/// Applies to a cycle: creates a draft (one application per member per cycle).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = CreateApplication,
    params(("id" = Uuid, Path, description = "Cycle id"), ("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "The draft", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such cycle"),
        (status = 409, description = "Already applied to this cycle (`already_applied`), or the cycle is not open (`cycle_closed`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:already_applied", "title": "Conflict", "status": 409, "detail": "you already have an application in this cycle", "code": "already_applied", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 422, description = "Answers outside 50–5000 characters, too many links, or a region not in the cycle")
    )
)]
#[post("/ambassador-cycles/{id}/applications")]
pub async fn apply(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<CreateApplication>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let cycle = cycles::find(txn, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let regions = cycles::regions_of(txn, vec![cycle.id]).await?;
    let mut errors = Errors::new();
    let answers = errors.take(Answers::parse(
        &body.why_apply,
        &body.participation,
        &body.ideas,
        &body.links,
    ));
    let region = regions.iter().find(|r| r.slug == body.region);
    if region.is_none() {
        errors.push(FieldError::new(
            "region",
            "not_in_cycle",
            format!("`{}` is not a region of this cycle", body.region),
        ));
    }
    errors.finish()?;
    let (Some(answers), Some(region)) = (answers, region) else {
        return Err(ApiError::Internal(
            "validated application lost its parts".into(),
        ));
    };
    if !ambassador::is_open(cycle.opens_at, cycle.closes_at, Utc::now()) {
        return Err(ApiError::conflict(
            "cycle_closed",
            "the cycle is not taking applications now",
        ));
    }
    let member = members::find(txn, me.id).await?.ok_or(ApiError::NotFound)?;
    let application_id = applications::insert(
        txn,
        NewApplication {
            cycle_id: cycle.id,
            member_id: me.id,
            region_id: region.region_id,
            why_apply: answers.why_apply,
            participation: answers.participation,
            ideas: answers.ideas,
            links: answers.links,
            affiliation: member.affiliation,
        },
    )
    .await
    .on_constraint("applications_cycle_member_key", || {
        ApiError::conflict(
            "already_applied",
            "you already have an application in this cycle",
        )
    })?;
    cmd.audit(AuditEvent::new(
        "application.created",
        "application",
        application_id,
        json!({"cycle_id": cycle.id, "region": region.slug}),
    ))
    .await?;
    let application = applications::find(txn, application_id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render_application(txn, &caller, application).await?;
    let reply = Reply::created(&view, format!("/v1/applications/{application_id}"))?;
    cmd.finish(reply).await
}
