use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::recognition::explain;
use liaison_domain::Scope;
use liaison_persistence::eligibility;

use super::json::{ExplanationView, ProgramQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// A member's eligibility with its explanation (`me`, or a member id: that member, staff, `passes:read` keys).
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Summit id"), ("member" = String, Path, description = "Member id, or `me`"), ProgramQuery),
    responses(
        (status = 200, description = "The explanation", body = ExplanationView),
        (status = 400, description = "Programme not offered at the summit"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "An API key without `passes:read`"),
        (status = 404, description = "No such summit or member, or someone else's eligibility asked by a member who is not staff")
    )
)]
#[get("/summits/{id}/eligibility/{member}")]
pub async fn member_eligibility(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, String)>,
    query: web::Query<ProgramQuery>,
) -> Result<HttpResponse, ApiError> {
    let (summit, who) = path.into_inner();
    caller.require_authenticated()?;
    let member = if who == "me" {
        caller.member()?.id
    } else {
        Uuid::parse_str(&who).map_err(|_| ApiError::NotFound)?
    };
    // Someone else's eligibility is seen by staff and `passes:read` keys only.
    let own = caller.actor.member().is_some_and(|m| m.id == member);
    caller.require_visible(
        own || liaison_domain::policy::staff_or_scope(&caller.actor, Scope::PassesRead),
    )?;
    // One statement reads the summit, its rules, the member, their
    // contributions and pass.
    let inputs = eligibility::explanation_inputs(&state.db, summit, &query.program, member).await?;
    let verified = inputs.member_verified.ok_or(ApiError::NotFound)?;
    let cutoff = inputs.cutoff.ok_or(ApiError::NotFound)?;
    let (version, rules) = inputs
        .rules
        .ok_or_else(|| ApiError::bad_param("program", "not offered at this summit"))?;
    let e = explain(&rules, cutoff, &inputs.contributions, verified);
    reply::resource(&ExplanationView::new(
        member,
        &query.program,
        version,
        e,
        inputs.has_pass,
    ))
}
