//! Contributions: members claim them; organizers of the linked group,
//! ambassadors of the member's or the group's region, or staff verify them —
//! never the member. Some are derived from data, already verified.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::recognition::Claim;
use liaison_domain::FieldError;
use liaison_persistence::recognition::{
    self, Contribution, ContributionFilter, ContributionScope, NewClaim,
};
use liaison_persistence::{events, groups, regions};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(claim_contribution)
        .service(list_contributions)
        .service(verify_contribution)
        .service(my_contributions);
}

/// A contribution.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e60", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "kind": "talk_given",
    "occurred_on": "2026-10-14", "title": "Upgrades without downtime at Lyon Operators", "evidence_url": "https://example.org/slides",
    "group_id": null, "event_id": null, "status": "pending", "note": null, "derived": false, "decided_at": null,
    "created_at": "2026-11-23T10:00:00Z"
}))]
pub struct ContributionView {
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    /// `pending`, `verified` or `rejected`.
    pub status: String,
    /// The verifier's note (required on rejection).
    pub note: Option<String>,
    /// Derived from data (e.g. an event marked held), not claimed.
    pub derived: bool,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<Contribution> for ContributionView {
    fn from(c: Contribution) -> Self {
        Self {
            id: c.id,
            member_id: c.member_id,
            kind: c.kind,
            occurred_on: c.occurred_on,
            title: c.title,
            evidence_url: c.evidence_url,
            group_id: c.group_id,
            event_id: c.event_id,
            status: c.status,
            note: c.note,
            derived: c.derived_from.is_some(),
            decided_at: c.decided_at,
            created_at: c.created_at,
        }
    }
}

/// A claim.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"kind": "talk_given", "occurred_on": "2026-10-14", "title": "Upgrades without downtime at Lyon Operators",
  "evidence_url": "https://example.org/slides"}))]
pub struct ClaimRequest {
    pub kind: String,
    /// Not in the future.
    pub occurred_on: NaiveDate,
    /// 3–200 characters.
    pub title: String,
    pub evidence_url: Option<String>,
    /// A group the contribution was for (its organizers may verify it).
    pub group_id: Option<Uuid>,
    /// An event of that group.
    pub event_id: Option<Uuid>,
}

/// Claims a contribution (pending until verified).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = ClaimRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Claimed, pending", body = ContributionView),
        (status = 401, description = "Not signed in"),
        (status = 422, description = "Unknown kind, future date, unknown group or event, …")
    )
)]
#[post("/contributions")]
pub async fn claim_contribution(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<ClaimRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let known: Vec<String> = recognition::kinds(txn)
        .await?
        .into_iter()
        .map(|k| k.slug)
        .collect();
    let mut errors = liaison_domain::error::Errors::new();
    let claim = errors.take(Claim::parse(
        &body.kind,
        body.occurred_on,
        &body.title,
        body.evidence_url.as_deref(),
        &known,
        Utc::now().date_naive(),
    ));
    if let Some(group) = body.group_id {
        if groups::find(txn, &group.to_string(), false)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                "group_id",
                "unknown_group",
                "no such group",
            ));
        }
    }
    if let Some(event) = body.event_id {
        match events::find(txn, event, false).await? {
            Some(e) if Some(e.group_id) == body.group_id => {}
            Some(_) => errors.push(FieldError::new(
                "event_id",
                "other_group",
                "the event belongs to another group",
            )),
            None => errors.push(FieldError::new(
                "event_id",
                "unknown_event",
                "no such event",
            )),
        }
    }
    errors.finish()?;
    let Some(claim) = claim else {
        return Err(ApiError::Internal("validated claim lost".into()));
    };
    let id = recognition::insert_claim(
        txn,
        NewClaim {
            member_id: me.id,
            kind: claim.kind,
            occurred_on: claim.occurred_on,
            title: claim.title,
            evidence_url: claim.evidence_url,
            group_id: body.group_id,
            event_id: body.event_id,
        },
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "contribution.claimed",
        "contribution",
        id,
        json!({"kind": body.kind}),
    ))
    .await?;
    let created = recognition::find(txn, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reply = Reply::created(
        &ContributionView::from(created),
        format!("/v1/contributions/{id}"),
    )?;
    cmd.finish(reply).await
}

async fn resource_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    c: &Contribution,
) -> Result<Resource, ApiError> {
    let caller_organizes_group = match (caller.actor.member(), c.group_id) {
        (Some(m), Some(g)) => groups::is_organizer(db, g, m.id).await?,
        _ => false,
    };
    Ok(Resource::Contribution {
        member: c.member_id,
        member_region: c.member_region,
        group_region: c.group_region,
        caller_organizes_group,
    })
}

/// Filters of the contribution list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContributionQuery {
    pub member: Option<Uuid>,
    /// `pending`, `verified` or `rejected`.
    pub status: Option<ContributionStatus>,
    /// Region slug (the member's or the group's).
    pub region: Option<String>,
    pub group: Option<Uuid>,
}

/// A contribution's status.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContributionStatus {
    Pending,
    Verified,
    Rejected,
}

impl ContributionStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
        }
    }
}

async fn scope_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<ContributionScope, ApiError> {
    let me = caller.member()?;
    Ok(ContributionScope {
        staff: me.is_staff(),
        member: me.id,
        ambassador_of: me.ambassador_of.iter().copied().collect(),
        organises: groups::organised_by(db, me.id).await?,
    })
}

/// Contributions: one's own, those one may verify, or all (staff). Newest first.
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    params(ContributionQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ContributionView>),
        (status = 400, description = "Unknown status or region, bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/contributions")]
pub async fn list_contributions(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ContributionQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_of(&state.db, &caller).await?;
    let region = match query.region.as_deref() {
        Some(slug) => Some(
            regions::find_by_slug(&state.db, slug, false)
                .await?
                .ok_or_else(|| ApiError::bad_param("region", "no such region"))?
                .id,
        ),
        None => None,
    };
    let filter = ContributionFilter {
        member: query.member,
        status: query.status.map(|s| s.as_str().to_owned()),
        region,
        group: query.group,
    };
    let limit = page.limit()?;
    let rows = recognition::list(
        &state.db,
        &scope,
        &filter,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |c| c.id,
        ContributionView::from,
    ))
}

/// The caller's own contributions, newest first.
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ContributionView>),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me/contributions")]
pub async fn my_contributions(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let scope = ContributionScope {
        staff: false,
        member: me.id,
        ambassador_of: vec![],
        organises: vec![],
    };
    let filter = ContributionFilter {
        member: Some(me.id),
        ..Default::default()
    };
    let limit = page.limit()?;
    let rows = recognition::list(
        &state.db,
        &scope,
        &filter,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |c| c.id,
        ContributionView::from,
    ))
}

/// A verifier's decision.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"decision": "verified", "note": "Saw the talk."}))]
pub struct VerificationRequest {
    pub decision: VerificationDecision,
    /// Required when rejecting.
    pub note: Option<String>,
}

/// Verified or rejected.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum VerificationDecision {
    Verified,
    Rejected,
}

/// Verifies or rejects a pending contribution (never one's own).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = VerificationRequest,
    params(("id" = Uuid, Path, description = "Contribution id")),
    responses(
        (status = 200, description = "Decided", body = ContributionView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not a verifier of it, or one's own (`forbidden`)"),
        (status = 404, description = "No such contribution, or not visible"),
        (status = 409, description = "Already decided (`invalid_transition`)"),
        (status = 422, description = "Rejection without a note")
    )
)]
#[post("/contributions/{id}/verification")]
pub async fn verify_contribution(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<VerificationRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if body.decision == VerificationDecision::Rejected && note.is_none() {
        return Err(ApiError::invalid_field(
            "note",
            "required",
            "a rejection needs a note",
        ));
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(ApiError::invalid_field(
            "note",
            "length",
            "at most 2000 characters",
        ));
    }
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let c = recognition::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = resource_of(txn, &caller, &c).await?;
    if !can(&caller.actor, Action::Read, resource) {
        return Err(ApiError::NotFound);
    }
    if !can(&caller.actor, Action::Decide, resource) {
        return Err(ApiError::forbidden("contributions are verified by the group's organizers, the region's ambassadors or staff, never by the contributor"));
    }
    if c.status != "pending" {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the contribution is already {}", c.status),
        ));
    }
    let status = match body.decision {
        VerificationDecision::Verified => "verified",
        VerificationDecision::Rejected => "rejected",
    };
    recognition::decide(txn, c.id, status, note.as_deref(), me.id).await?;
    cmd.audit(AuditEvent::new(
        "contribution.decided",
        "contribution",
        c.id,
        json!({"status": status, "note": note}),
    ))
    .await?;
    let updated = recognition::find(txn, c.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&ContributionView::from(updated))?)
        .await
}
