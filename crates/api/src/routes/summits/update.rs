use actix_web::{patch, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::summit::parse_quota;
use liaison_domain::FieldError;
use liaison_persistence::summits;

use super::json::{SummitPatch, SummitView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Changes quotas (staff). A quota below the passes already issued is refused.
#[utoipa::path(
    tag = "summits",
    security(("bearer" = [])),
    request_body = SummitPatch,
    params(("id" = Uuid, Path, description = "Summit id"), ("If-Match" = Option<String>, Header, description = "The summit's `ETag`; a stale one is 412")),
    responses(
        (status = 200, description = "The summit", body = SummitView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such summit"),
        (status = 412, description = "`If-Match` names another version (`precondition_failed`)"),
        (status = 422, description = "Unknown programme, or a quota below the passes issued (`quota_below_issued`)")
    )
)]
#[patch("/summits/{id}")]
pub async fn update_summit(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<SummitPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("change summits")?;
    let cmd = Command::open(&state.db, &caller).await?;
    if !summits::lock(cmd.txn(), *id).await? {
        return Err(ApiError::NotFound);
    }
    // Under the lock, the tag of what a reader sees now.
    etag::check_if_match(
        &req,
        &etag::of_value(&SummitView::load(cmd.txn(), *id).await?)?,
    )?;
    let mut errors = Errors::new();
    for (i, change) in body.programs.iter().enumerate() {
        let field = format!("programs[{i}].quota");
        match summits::lock_quota(cmd.txn(), *id, &change.program).await? {
            None => errors.push(FieldError::new(
                format!("programs[{i}].program"),
                "unknown_program",
                "not offered at this summit",
            )),
            Some(q) if i64::from(change.quota) < q.used => errors.push(FieldError::new(
                field,
                "quota_below_issued",
                format!("{} passes are already issued", q.used),
            )),
            Some(_) => {
                errors.take(parse_quota(&field, change.quota));
            }
        }
    }
    errors.finish()?;
    for change in &body.programs {
        summits::set_quota(cmd.txn(), *id, &change.program, change.quota).await?;
    }
    cmd.audit(AuditEvent::new(
        "summit.quotas_changed",
        "summit",
        *id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let view = SummitView::load(cmd.txn(), *id).await?;
    cmd.finish(Reply::ok(&view)?).await
}
