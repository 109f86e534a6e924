use actix_web::{post, web, HttpRequest, HttpResponse};

use liaison_domain::audit::AuditEvent;
use liaison_domain::summit::{ProgramRequest, SummitSpec};
use liaison_persistence::recognition_programs;
use liaison_persistence::summits;

use super::json::{CreateSummit, SummitView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Creates a summit with a quota per programme (staff).
#[utoipa::path(
    tag = "summits",
    security(("bearer" = [])),
    request_body = CreateSummit,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = SummitView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 409, description = "`Idempotency-Key` reused with another body"),
        (status = 422, description = "Invalid fields, unknown programme or rules version")
    )
)]
#[post("/summits")]
pub async fn create_summit(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateSummit>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("create summits")?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let (versions, _) = recognition_programs::rules(cmd.txn(), None).await?;
    let published: Vec<(String, i32)> = versions
        .into_iter()
        .map(|v| (v.program, v.version))
        .collect();
    let requested: Vec<ProgramRequest> = body
        .programs
        .iter()
        .map(|p| ProgramRequest {
            program: p.program.clone(),
            rules_version: p.rules_version,
            quota: p.quota,
        })
        .collect();
    let spec = SummitSpec::parse(
        &body.name,
        &body.city,
        (body.starts_on, body.ends_on, body.eligibility_cutoff),
        &requested,
        &published,
    )?;
    let id = summits::insert(cmd.txn(), &spec).await?;
    cmd.audit(AuditEvent::new(
        "summit.created",
        "summit",
        id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let view = SummitView::load(cmd.txn(), id).await?;
    cmd.finish(Reply::created(&view, format!("/v1/summits/{id}"))?)
        .await
}
