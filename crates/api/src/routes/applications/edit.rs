use actix_web::{patch, web, HttpRequest, HttpResponse};
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use liaison_domain::application::{parse_answer, parse_links, ApplicationEvent};
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::applications;
use liaison_persistence::audit;

use super::access::{transition, visible};
use super::json::{ApplicationPatch, ApplicationView};
use super::view::render_application;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::screen::Json;
use crate::http::{etag, reply};
use crate::state::AppState;

/// Edits a draft (applicant). Honours `If-Match`.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = ApplicationPatch,
    params(("id" = Uuid, Path, description = "Application id"), ("If-Match" = Option<String>, Header, description = "ETag as last read")),
    responses(
        (status = 200, description = "The edited draft", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the applicant"),
        (status = 404, description = "No such application"),
        (status = 409, description = "No longer a draft (`invalid_transition`)"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/applications/{id}")]
pub async fn edit_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ApplicationPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let mut errors = Errors::new();
    let why = body
        .why_apply
        .as_deref()
        .and_then(|t| errors.take(parse_answer("why_apply", t)));
    let participation = body
        .participation
        .as_deref()
        .and_then(|t| errors.take(parse_answer("participation", t)));
    let ideas = body
        .ideas
        .as_deref()
        .and_then(|t| errors.take(parse_answer("ideas", t)));
    let links = body
        .links
        .as_deref()
        .and_then(|l| errors.take(parse_links(l)));
    errors.finish()?;
    let txn = state.db.begin().await?;
    let a = visible(&txn, &caller, *id, true).await?;
    if !can(
        &caller.actor,
        Action::Update,
        Resource::Application {
            applicant: a.member_id,
        },
    ) {
        return Err(ApiError::forbidden(
            "only the applicant edits an application",
        ));
    }
    etag::check_if_match(
        &req,
        &etag::of_value(&render_application(&txn, &caller, a.clone()).await?)?,
    )?;
    transition(&a, ApplicationEvent::Edit)?;
    applications::update_answers(
        &txn,
        a.id,
        why.as_deref().unwrap_or(&a.why_apply),
        participation.as_deref().unwrap_or(&a.participation),
        ideas.as_deref().unwrap_or(&a.ideas),
        links.as_deref().unwrap_or(&a.links),
    )
    .await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new("application.edited", "application", a.id, json!({})),
    )
    .await?;
    let updated = applications::find(&txn, a.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render_application(&txn, &caller, updated).await?;
    txn.commit().await?;
    reply::resource(&view)
}
