use actix_web::{post, web, HttpRequest, HttpResponse};

use liaison_domain::audit::AuditEvent;
use liaison_domain::recognition::Rules;
use liaison_domain::values::{text_len, Slug};
use liaison_domain::{error::Errors, FieldError};
use liaison_persistence::{contribution_kinds, recognition_programs};

use super::json::{program_view, CreateProgram, ProgramView, RulesInput};
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

pub(crate) async fn check_rules(
    db: &impl sea_orm::ConnectionTrait,
    input: &RulesInput,
    prefix: &str,
    errors: &mut Errors,
) -> Result<Option<Rules>, ApiError> {
    let known: Vec<String> = contribution_kinds::list(db)
        .await?
        .into_iter()
        .map(|k| k.slug)
        .collect();
    let kinds: Vec<(String, i32, i32)> = input
        .kinds
        .iter()
        .map(|k| (k.kind.clone(), k.points, k.max_count))
        .collect();
    match Rules::parse(input.window_days, input.threshold_points, &kinds, &known) {
        Ok(rules) => Ok(Some(rules)),
        Err(liaison_domain::Invalid(list)) => {
            for e in list {
                errors.push(FieldError {
                    field: format!("{prefix}{}", e.field),
                    ..e
                });
            }
            Ok(None)
        }
    }
}

/// Creates a programme with its first rules version (staff).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = CreateProgram,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = ProgramView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 409, description = "Slug taken (`already_exists`)"),
        (status = 422, description = "Invalid fields, unknown kinds")
    )
)]
#[post("/recognition-programs")]
pub async fn create_program(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateProgram>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("create programmes")?;
    let mut errors = Errors::new();
    errors.take(Slug::parse("slug", &body.slug));
    let name = errors
        .take(text_len("name", &body.name, 2, 100))
        .unwrap_or_default();
    let description = errors
        .take(text_len("description", &body.description, 0, 2000))
        .unwrap_or_default();
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    check_rules(txn, &body.rules, "rules.", &mut errors).await?;
    errors.finish()?;
    recognition_programs::insert(txn, &body.slug, &name, &description)
        .await
        .on_constraint("recognition_programs_pkey", || {
            ApiError::conflict("already_exists", "a programme with this slug exists")
        })?;
    let kinds: Vec<(String, i32, i32)> = body
        .rules
        .kinds
        .iter()
        .map(|k| (k.kind.clone(), k.points, k.max_count))
        .collect();
    recognition_programs::publish_rules(
        txn,
        &body.slug,
        body.rules.window_days,
        body.rules.threshold_points,
        &kinds,
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "program.created",
        "recognition_program",
        &body.slug,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let view = program_view(txn, &body.slug).await?;
    cmd.finish(Reply::created(
        &view,
        format!("/v1/recognition-programs/{}", body.slug),
    )?)
    .await
}
