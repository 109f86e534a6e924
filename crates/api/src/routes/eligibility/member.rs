use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::recognition::{explain, ContributionStatus, Counted};
use liaison_domain::Scope;
use liaison_persistence::passes::{self, PassFilter};
use liaison_persistence::{eligibility, members};

use super::json::{ExplanationView, ProgramQuery};
use super::rules::summit_rules;
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
        (status = 403, description = "Someone else's eligibility"),
        (status = 404, description = "No such summit or member")
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
    if caller.actor.member().is_none_or(|m| m.id != member) {
        caller.require_staff_or_scope(Scope::PassesRead)?;
    }
    let who = members::find(&state.db, member)
        .await?
        .filter(|m| m.erased_at.is_none())
        .ok_or(ApiError::NotFound)?;
    let (s, q, rules) = summit_rules(&state.db, summit, &query.program).await?;
    let contributions: Vec<Counted> =
        eligibility::member_contributions(&state.db, member, s.eligibility_cutoff)
            .await?
            .into_iter()
            .map(|c| Counted {
                kind: c.kind,
                occurred_on: c.occurred_on,
                verified: c.status == ContributionStatus::Verified,
            })
            .collect();
    let held = passes::list(
        &state.db,
        &PassFilter {
            summit: Some(summit),
            member: Some(member),
            ..Default::default()
        },
        None,
        None,
    )
    .await?;
    let has_pass = held.iter().any(|p| p.status.holds_place());
    let e = explain(
        &rules,
        s.eligibility_cutoff,
        &contributions,
        who.email_verified_at.is_some(),
    );
    reply::resource(&ExplanationView::new(
        member,
        &query.program,
        q.rules_version,
        e,
        has_pass,
    ))
}
