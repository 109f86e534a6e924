use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_persistence::recognition_programs;

use super::create::check_rules;
use super::json::{program_view, ProgramView, RulesInput};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Publishes a new rules version (staff). Earlier versions never change:
/// summits keep the version they were created with.
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = RulesInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("slug" = String, Path, description = "Programme slug")),
    responses(
        (status = 201, description = "The programme with its new version", body = ProgramView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such programme"),
        (status = 422, description = "Invalid rules")
    )
)]
#[post("/recognition-programs/{slug}/rules")]
pub async fn publish_rules(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    slug: web::Path<String>,
    body: Json<RulesInput>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("publish rules")?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    // Locking the programme serialises version numbers.
    recognition_programs::find(txn, &slug, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut errors = Errors::new();
    check_rules(txn, &body, "", &mut errors).await?;
    errors.finish()?;
    let kinds: Vec<(String, i32, i32)> = body
        .kinds
        .iter()
        .map(|k| (k.kind.clone(), k.points, k.max_count))
        .collect();
    let version = recognition_programs::publish_rules(
        txn,
        &slug,
        body.window_days,
        body.threshold_points,
        &kinds,
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "program.rules_published",
        "recognition_program",
        slug.as_str(),
        json!({"version": version, "rules": &*body}),
    ))
    .await?;
    let view = program_view(txn, &slug).await?;
    cmd.finish(Reply::created(
        &view,
        format!("/v1/recognition-programs/{slug}"),
    )?)
    .await
}
