//! Summits and their passes: per-programme quotas, eligibility with its
//! explanation, bulk issuance by the foundation's scripts, manual passes,
//! redemption at the door, revocation and appeals.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use rand::{rngs::OsRng, Rng};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{self, may_see_emails};
use liaison_domain::recognition::{explain, Counted, Explanation, KindRule, Rules};
use liaison_domain::values::text_len;
use liaison_domain::{pass_code, FieldError, Scope};
use liaison_persistence::database;
use liaison_persistence::passes::{self, Appeal, Pass, PassFilter, Quota, Summit};
use liaison_persistence::{audit, members, recognition};

use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::http::{csv_export, etag};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_summit)
        .service(list_summits)
        .service(get_summit)
        .service(update_summit)
        .service(member_eligibility)
        .service(eligible_members)
        .service(issue_passes)
        .service(manual_pass)
        .service(list_passes)
        .service(file_appeal)
        .service(list_appeals)
        .service(redeem_pass)
        .service(revoke_pass)
        .service(my_passes)
        .service(decide_appeal);
}

/// A fresh pass code from the OS CSPRNG.
fn new_code() -> String {
    let mut values = [0u8; 15];
    OsRng.fill(&mut values);
    for v in values.iter_mut() {
        *v &= 31;
    }
    pass_code::from_random(&values)
}

/// A programme's quota at a summit.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaView {
    pub program: String,
    /// The rules version this summit uses (fixed at creation).
    pub rules_version: i32,
    pub quota: i32,
    pub used: i64,
    pub remaining: i64,
}

impl From<&Quota> for QuotaView {
    fn from(q: &Quota) -> Self {
        Self {
            program: q.program.clone(),
            rules_version: q.rules_version,
            quota: q.quota,
            used: q.used,
            remaining: (i64::from(q.quota) - q.used).max(0),
        }
    }
}

/// A summit.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e70", "name": "Summit 2027", "city": "Lisbon", "starts_on": "2027-05-10",
    "ends_on": "2027-05-12", "eligibility_cutoff": "2027-03-31",
    "programs": [{"program": "acc", "rules_version": 1, "quota": 300, "used": 120, "remaining": 180}],
    "created_at": "2026-11-23T10:00:00Z"
}))]
pub struct SummitView {
    pub id: Uuid,
    pub name: String,
    pub city: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Contributions count up to this day.
    pub eligibility_cutoff: NaiveDate,
    pub programs: Vec<QuotaView>,
    pub created_at: DateTime<Utc>,
}

fn render(s: Summit, quotas: &[Quota]) -> SummitView {
    SummitView {
        programs: quotas
            .iter()
            .filter(|q| q.summit_id == s.id)
            .map(QuotaView::from)
            .collect(),
        id: s.id,
        name: s.name,
        city: s.city,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        eligibility_cutoff: s.eligibility_cutoff,
        created_at: s.created_at,
    }
}

async fn summit_view(db: &impl ConnectionTrait, id: Uuid) -> Result<SummitView, ApiError> {
    let s = passes::summit(db, id).await?.ok_or(ApiError::NotFound)?;
    let q = passes::quotas(db, vec![id]).await?;
    Ok(render(s, &q))
}

/// A programme offered at a summit.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct SummitProgramInput {
    pub program: String,
    /// Default: the programme's newest version.
    pub rules_version: Option<i32>,
    pub quota: i32,
}

/// A summit to create.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"name": "Summit 2027", "city": "Lisbon", "starts_on": "2027-05-10", "ends_on": "2027-05-12",
  "eligibility_cutoff": "2027-03-31", "programs": [{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]}))]
pub struct CreateSummit {
    pub name: String,
    pub city: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub eligibility_cutoff: NaiveDate,
    pub programs: Vec<SummitProgramInput>,
}

/// Creates a summit with a quota per programme (staff).
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = CreateSummit,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = SummitView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
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
    let mut errors = Errors::new();
    let name = errors
        .take(text_len("name", &body.name, 2, 200))
        .unwrap_or_default();
    let city = errors
        .take(text_len("city", &body.city, 1, 100))
        .unwrap_or_default();
    if body.ends_on < body.starts_on {
        errors.push(FieldError::new(
            "ends_on",
            "before_starts_on",
            "must not be before starts_on",
        ));
    }
    if body.programs.is_empty() {
        errors.push(FieldError::new(
            "programs",
            "required",
            "at least one programme",
        ));
    }
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let (versions, _) = recognition::rules(txn, None).await?;
    let mut programs = Vec::new();
    for (i, p) in body.programs.iter().enumerate() {
        let newest = versions
            .iter()
            .filter(|v| v.program == p.program)
            .map(|v| v.version)
            .max();
        let Some(newest) = newest else {
            errors.push(FieldError::new(
                format!("programs[{i}].program"),
                "unknown_program",
                format!("no programme `{}`", p.program),
            ));
            continue;
        };
        let version = p.rules_version.unwrap_or(newest);
        if !versions
            .iter()
            .any(|v| v.program == p.program && v.version == version)
        {
            errors.push(FieldError::new(
                format!("programs[{i}].rules_version"),
                "unknown_version",
                "no such rules version",
            ));
        }
        if !(0..=1_000_000).contains(&p.quota) {
            errors.push(FieldError::new(
                format!("programs[{i}].quota"),
                "range",
                "must be between 0 and 1000000",
            ));
        }
        if programs
            .iter()
            .any(|(name, _, _): &(String, i32, i32)| name == &p.program)
        {
            errors.push(FieldError::new(
                format!("programs[{i}].program"),
                "duplicate",
                "listed twice",
            ));
        }
        programs.push((p.program.clone(), version, p.quota));
    }
    errors.finish()?;
    let id = passes::insert_summit(
        txn,
        &name,
        &city,
        body.starts_on,
        body.ends_on,
        body.eligibility_cutoff,
        &programs,
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "summit.created",
        "summit",
        id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let view = summit_view(txn, id).await?;
    let reply = Reply::created(&view, format!("/v1/summits/{id}"))?;
    cmd.finish(reply).await
}

/// Summits, newest first.
#[utoipa::path(
    tag = "passes",
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<SummitView>),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/summits")]
pub async fn list_summits(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let rows = passes::summits(&state.db, page.cursor::<Uuid>()?, limit + 1).await?;
    let quotas = passes::quotas(&state.db, rows.iter().map(|s| s.id).collect()).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |s| s.id,
        |s| render(s, &quotas),
    ))
}

/// One summit, with quotas used and remaining.
#[utoipa::path(
    tag = "passes",
    params(("id" = Uuid, Path, description = "Summit id"), ("If-Match" = Option<String>, Header, description = "The summit's `ETag`; a stale one is 412")),
    responses(
        (status = 200, description = "The summit", body = SummitView),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}")]
pub async fn get_summit(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    reply::resource(&summit_view(&state.db, *id).await?)
}

/// New quotas for programmes already offered at the summit.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"programs": [{"program": "acc", "quota": 350}]}))]
pub struct SummitPatch {
    pub programs: Vec<QuotaChange>,
}

/// One quota change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct QuotaChange {
    pub program: String,
    pub quota: i32,
}

/// Changes quotas (staff). A quota below the passes already issued is refused.
#[utoipa::path(
    tag = "passes",
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
    let txn = state.db.begin().await?;
    if !passes::lock_summit(&txn, *id).await? {
        return Err(ApiError::NotFound);
    }
    // Under the lock, the tag of what a reader sees now.
    etag::check_if_match(&req, &etag::of_value(&summit_view(&txn, *id).await?)?)?;
    let mut errors = Errors::new();
    for (i, change) in body.programs.iter().enumerate() {
        match passes::lock_quota(&txn, *id, &change.program).await? {
            None => errors.push(FieldError::new(
                format!("programs[{i}].program"),
                "unknown_program",
                "not offered at this summit",
            )),
            Some(q) if i64::from(change.quota) < q.used => errors.push(FieldError::new(
                format!("programs[{i}].quota"),
                "quota_below_issued",
                format!("{} passes are already issued", q.used),
            )),
            Some(_) if change.quota > 1_000_000 => errors.push(FieldError::new(
                format!("programs[{i}].quota"),
                "range",
                "at most 1000000",
            )),
            Some(_) => {}
        }
    }
    errors.finish()?;
    for change in &body.programs {
        passes::set_quota(&txn, *id, &change.program, change.quota).await?;
    }
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "summit.quotas_changed",
            "summit",
            *id,
            serde_json::to_value(&*body).unwrap_or_default(),
        ),
    )
    .await?;
    let view = summit_view(&txn, *id).await?;
    txn.commit().await?;
    reply::resource(&view)
}

/// Which programme.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// Programme slug, e.g. `acc`.
    pub program: String,
}

/// One kind's line of an explanation.
#[derive(Debug, Serialize, ToSchema)]
pub struct KindLineView {
    pub kind: String,
    pub verified: i64,
    pub counted: i64,
    pub capped: i64,
    pub points_each: i32,
    pub points: i64,
}

/// Why a member is or is not eligible.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "program": "acc", "rules_version": 1, "eligible": true,
    "points": 24, "threshold_points": 10, "points_missing": 0, "window_start": "2026-04-01", "cutoff": "2027-03-31",
    "reached_on": "2026-08-12", "pending": 1, "has_pass": false,
    "kinds": [{"kind": "event_organized", "verified": 12, "counted": 12, "capped": 0, "points_each": 2, "points": 24}]
}))]
pub struct ExplanationView {
    pub member_id: Uuid,
    pub program: String,
    pub rules_version: i32,
    pub eligible: bool,
    pub points: i64,
    pub threshold_points: i32,
    pub points_missing: i64,
    pub window_start: NaiveDate,
    pub cutoff: NaiveDate,
    pub reached_on: Option<NaiveDate>,
    /// Pending claims in the window: they count once verified.
    pub pending: i64,
    /// Whether the member already holds a pass at this summit.
    pub has_pass: bool,
    pub kinds: Vec<KindLineView>,
}

/// The rules a summit uses for a programme.
async fn summit_rules(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
) -> Result<(Summit, Quota, Rules), ApiError> {
    let s = passes::summit(db, summit)
        .await?
        .ok_or(ApiError::NotFound)?;
    let q = passes::quotas(db, vec![summit])
        .await?
        .into_iter()
        .find(|q| q.program == program)
        .ok_or_else(|| ApiError::bad_param("program", "not offered at this summit"))?;
    let (versions, kinds) = recognition::rules(db, Some(vec![program.to_owned()])).await?;
    let v = versions
        .iter()
        .find(|v| v.version == q.rules_version)
        .ok_or_else(|| ApiError::Internal("summit's rules version missing".into()))?;
    let rules = Rules {
        window_days: v.window_days,
        threshold_points: v.threshold_points,
        kinds: kinds
            .iter()
            .filter(|k| k.version == v.version)
            .map(|k| {
                (
                    k.kind.clone(),
                    KindRule {
                        points: k.points,
                        max_count: k.max_count,
                    },
                )
            })
            .collect(),
    };
    Ok((s, q, rules))
}

fn explanation_view(
    member: Uuid,
    program: &str,
    version: i32,
    e: Explanation,
    has_pass: bool,
) -> ExplanationView {
    ExplanationView {
        member_id: member,
        program: program.to_owned(),
        rules_version: version,
        eligible: e.eligible,
        points: e.points,
        threshold_points: e.threshold_points,
        points_missing: e.points_missing,
        window_start: e.window_start,
        cutoff: e.cutoff,
        reached_on: e.reached_on,
        pending: e.pending,
        has_pass,
        kinds: e
            .kinds
            .into_iter()
            .map(|k| KindLineView {
                kind: k.kind,
                verified: k.verified,
                counted: k.counted,
                capped: k.capped,
                points_each: k.points_each,
                points: k.points,
            })
            .collect(),
    }
}

/// A member's eligibility with its explanation (`me`, or a member id: that member, staff, `passes:read` keys).
#[utoipa::path(
    tag = "passes",
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
    let own = caller.actor.member().is_some_and(|m| m.id == member);
    if !own {
        caller.permit(
            policy::staff_or_scope(&caller.actor, Scope::PassesRead),
            format!("staff or an API key with `{}` only", Scope::PassesRead),
        )?;
    }
    members::find(&state.db, member)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (s, q, rules) = summit_rules(&state.db, summit, &query.program).await?;
    let contributions: Vec<Counted> =
        passes::member_contributions(&state.db, member, s.eligibility_cutoff)
            .await?
            .into_iter()
            .map(|c| Counted {
                kind: c.kind,
                occurred_on: c.occurred_on,
                verified: c.status == "verified",
            })
            .collect();
    let has_pass = !passes::list(
        &state.db,
        &PassFilter {
            summit: Some(summit),
            member: Some(member),
            ..Default::default()
        },
        None,
        None,
    )
    .await?
    .iter()
    .all(|p| p.status == "revoked");
    let e = explain(&rules, s.eligibility_cutoff, &contributions);
    reply::list(&explanation_view(
        member,
        &query.program,
        q.rules_version,
        e,
        has_pass,
    ))
}

/// An eligible member.
#[derive(Debug, Serialize, ToSchema)]
pub struct EligibleView {
    pub member_id: Uuid,
    pub display_name: String,
    pub points: i64,
    /// The day their counted contributions reached the threshold.
    pub reached_on: NaiveDate,
    pub has_pass: bool,
}

/// Every eligible member with points, in issuance order (staff, `passes:read` keys). CSV with `Accept: text/csv`.
#[utoipa::path(
    tag = "passes",
    params(("id" = Uuid, Path, description = "Summit id"), ProgramQuery),
    responses(
        (status = 200, description = "Eligible members, highest points first (JSON array or CSV)", content(
            (Vec<EligibleView> = "application/json"),
            (String = "text/csv", example = json!("member_id,display_name,points,reached_on,has_pass\n0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11,Marie Dubois,24,2026-09-14,false\n"))
        )),
        (status = 400, description = "Programme not offered"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:read` key"),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}/eligibility")]
pub async fn eligible_members(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ProgramQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        policy::staff_or_scope(&caller.actor, Scope::PassesRead),
        format!("staff or an API key with `{}` only", Scope::PassesRead),
    )?;
    summit_rules(&state.db, *id, &query.program).await?;
    // One statement over every contribution: bulk work, with its own time limit.
    let txn = state.db.begin().await?;
    database::allow_bulk_statements(&txn, state.settings.limits.bulk_statement_timeout).await?;
    let rows = passes::eligible(&txn, *id, &query.program, None).await?;
    txn.commit().await?;
    let views: Vec<EligibleView> = rows
        .into_iter()
        .map(|e| EligibleView {
            member_id: e.member_id,
            display_name: e.display_name,
            points: e.points,
            reached_on: e.reached_on,
            has_pass: e.has_pass,
        })
        .collect();
    if csv_export::wants_csv(&req) {
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "eligibility.csv",
            &[
                "member_id",
                "display_name",
                "points",
                "reached_on",
                "has_pass",
            ],
            move |mut sink: csv_export::CsvSink| async move {
                for v in views {
                    sink.write(&v).await?;
                }
                Ok(sink)
            },
        ));
    }
    reply::list(&views)
}

/// A bulk issuance.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"program": "acc", "dry_run": false, "max": 500}))]
pub struct IssueRequest {
    pub program: String,
    /// Show who would get a pass; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Issue at most this many in this call.
    pub max: Option<i64>,
}

/// A pass.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e80", "summit_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e70", "program": "acc",
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "code": "7KQ2-M9XD-4T1B-RH8W", "status": "issued", "points": 24,
    "origin": "bulk", "reason": null, "issued_at": "2026-11-23T10:00:00Z", "redeemed_at": null, "revoked_at": null, "revoke_reason": null
}))]
pub struct PassView {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    /// `XXXX-XXXX-XXXX-XXXX`.
    pub code: String,
    /// `issued`, `redeemed` or `revoked`.
    pub status: String,
    pub points: Option<i32>,
    /// `bulk`, `manual` or `appeal`.
    pub origin: String,
    pub reason: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

impl From<Pass> for PassView {
    fn from(p: Pass) -> Self {
        Self {
            id: p.id,
            summit_id: p.summit_id,
            program: p.program,
            member_id: p.member_id,
            code: pass_code::display(&p.code),
            status: p.status,
            points: p.points,
            origin: p.origin,
            reason: p.reason,
            issued_at: p.issued_at,
            redeemed_at: p.redeemed_at,
            revoked_at: p.revoked_at,
            revoke_reason: p.revoke_reason,
        }
    }
}

/// One member in an issuance.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedView {
    pub member_id: Uuid,
    pub points: i64,
    /// Null in a dry run.
    pub pass: Option<PassView>,
}

/// What an issuance did (or would do).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"program": "acc", "dry_run": false, "quota": 300, "used": 300, "remaining": 0, "issued_count": 180,
  "issued": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "points": 24, "pass": null}]}))]
pub struct IssueResult {
    pub program: String,
    pub dry_run: bool,
    pub quota: i32,
    /// Passes in the quota after this call.
    pub used: i64,
    pub remaining: i64,
    pub issued_count: usize,
    pub issued: Vec<IssuedView>,
}

/// Issues passes in bulk (staff, `passes:issue` keys; `Idempotency-Key` required).
///
/// Eligible members without a pass at the summit, highest points first, then
/// earliest date of reaching the threshold, then member id, until the quota
/// is used. Concurrent calls — from any number of server processes — never
/// exceed the quota and never give one member two passes.
#[utoipa::path(
    tag = "passes",
    request_body = IssueRequest,
    params(("id" = Uuid, Path, description = "Summit id"), ("Idempotency-Key" = String, Header, description = "Required; a retry replays the first answer")),
    responses(
        (status = 200, description = "Issued (or, in a dry run, who would be)", body = IssueResult),
        (status = 400, description = "Missing Idempotency-Key, programme not offered"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:issue` key"),
        (status = 404, description = "No such summit"),
        (status = 409, description = "Idempotency-Key reused with another body"),
        (status = 422, description = "`max` below 1")
    )
)]
#[post("/summits/{id}/passes/issue")]
pub async fn issue_passes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<IssueRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        policy::staff_or_scope(&caller.actor, Scope::PassesIssue),
        format!("staff or an API key with `{}` only", Scope::PassesIssue),
    )?;
    if body.max.is_some_and(|m| m < 1) {
        return Err(ApiError::invalid_field(
            "max",
            "range",
            "must be at least 1",
        ));
    }
    summit_rules(&state.db, *id, &body.program).await?;
    if crate::http::idempotency::key_of(&req)?.is_none() {
        return Err(ApiError::Malformed {
            detail: "this endpoint requires an Idempotency-Key header".into(),
            errors: vec![FieldError::new(
                "idempotency-key",
                "required",
                "send a unique key per operation",
            )],
        });
    }
    if body.dry_run {
        return dry_run_issue(&state, *id, &body).await;
    }
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    database::allow_bulk_statements(txn, state.settings.limits.bulk_statement_timeout).await?;
    // The quota row is locked before counting what is left: concurrent
    // issuances (and manual passes, and appeal grants) queue here.
    let q = passes::lock_quota(txn, *id, &body.program)
        .await?
        .ok_or(ApiError::NotFound)?;
    let remaining = (i64::from(q.quota) - q.used).max(0);
    let take = body.max.map_or(remaining, |m| m.min(remaining));
    let codes: Vec<String> = (0..take).map(|_| new_code()).collect();
    let issued = passes::issue_bulk(txn, *id, &body.program, remaining, body.max, codes).await?;
    // In issuance order, as the statement answers them.
    let issued: Vec<IssuedView> = issued
        .into_iter()
        .map(|p| IssuedView {
            member_id: p.member_id,
            points: p.points.map(i64::from).unwrap_or(0),
            pass: Some(PassView::from(p)),
        })
        .collect();
    let result = IssueResult::after(&body, false, &q, remaining, issued);
    cmd.audit(AuditEvent::new(
        "passes.issued",
        "summit",
        *id,
        json!({"program": body.program, "count": result.issued_count, "max": body.max}),
    ))
    .await?;
    let reply = Reply::ok(&result)?;
    cmd.finish(reply).await
}

/// Who a bulk issuance would give a pass now. It writes nothing, not even its
/// `Idempotency-Key`, so a script may dry-run with the key of the real call.
async fn dry_run_issue(
    state: &AppState,
    summit: Uuid,
    body: &IssueRequest,
) -> Result<HttpResponse, ApiError> {
    let txn = state.db.begin().await?;
    database::allow_bulk_statements(&txn, state.settings.limits.bulk_statement_timeout).await?;
    let q = passes::quotas(&txn, vec![summit])
        .await?
        .into_iter()
        .find(|q| q.program == body.program);
    let q = q.ok_or(ApiError::NotFound)?;
    let remaining = (i64::from(q.quota) - q.used).max(0);
    let take = body.max.map_or(remaining, |m| m.min(remaining)) as usize;
    let issued: Vec<IssuedView> = passes::eligible(&txn, summit, &body.program, None)
        .await?
        .into_iter()
        .filter(|e| !e.ever_held)
        .take(take)
        .map(|e| IssuedView {
            member_id: e.member_id,
            points: e.points,
            pass: None,
        })
        .collect();
    reply::list(&IssueResult::after(body, true, &q, remaining, issued))
}

impl IssueResult {
    /// The answer once `issued` are (or would be) given out of `remaining`.
    fn after(
        request: &IssueRequest,
        dry_run: bool,
        quota: &Quota,
        remaining: i64,
        issued: Vec<IssuedView>,
    ) -> Self {
        Self {
            program: request.program.clone(),
            dry_run,
            quota: quota.quota,
            used: quota.used + issued.len() as i64,
            remaining: remaining - issued.len() as i64,
            issued_count: issued.len(),
            issued,
        }
    }
}

/// A manual pass.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "program": "acc", "reason": "Keynote speaker"}))]
pub struct ManualPass {
    pub member_id: Uuid,
    pub program: String,
    /// Required, 1–2000 characters.
    pub reason: String,
}

async fn issue_single(
    txn: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Uuid,
    origin: &str,
    reason: &str,
) -> Result<Pass, ApiError> {
    let q = passes::lock_quota(txn, summit, program)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field("program", "unknown_program", "not offered at this summit")
        })?;
    if q.used >= i64::from(q.quota) {
        return Err(ApiError::conflict(
            "quota_exhausted",
            format!("all {} passes of {program} are issued", q.quota),
        ));
    }
    passes::issue_one(txn, summit, program, member, &new_code(), origin, reason)
        .await
        .on_constraint("passes_one_per_member_key", || {
            ApiError::conflict(
                "already_has_pass",
                "the member already holds a pass for this summit",
            )
        })
}

/// Issues one pass by hand, with a reason (staff), within the quota.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = ManualPass,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("id" = Uuid, Path, description = "Summit id")),
    responses(
        (status = 201, description = "Issued", body = PassView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such summit"),
        (status = 409, description = "`quota_exhausted`, or the member already holds a pass (`already_has_pass`)"),
        (status = 422, description = "Unknown member or programme, missing reason")
    )
)]
#[post("/summits/{id}/passes")]
pub async fn manual_pass(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ManualPass>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("issue passes by hand")?;
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    passes::summit(txn, *id).await?.ok_or(ApiError::NotFound)?;
    if members::find(txn, body.member_id).await?.is_none() {
        return Err(ApiError::invalid_field(
            "member_id",
            "unknown_member",
            "no such member",
        ));
    }
    let pass = issue_single(txn, *id, &body.program, body.member_id, "manual", &reason).await?;
    cmd.audit(AuditEvent::new("pass.issued", "pass", pass.id, json!({"member_id": body.member_id, "program": body.program, "origin": "manual", "reason": reason}))).await?;
    cmd.finish(Reply::created(
        &PassView::from(pass.clone()),
        format!("/v1/summits/{id}/passes"),
    )?)
    .await
}

/// Filters of the pass list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PassQuery {
    pub program: Option<String>,
    /// `issued`, `redeemed` or `revoked`.
    pub status: Option<PassStatus>,
}

/// A pass's status.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PassStatus {
    Issued,
    Redeemed,
    Revoked,
}

impl PassStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Redeemed => "redeemed",
            Self::Revoked => "revoked",
        }
    }
}

#[derive(Serialize)]
struct PassCsv {
    id: Uuid,
    member_id: Uuid,
    email: String,
    display_name: String,
    program: String,
    code: String,
    status: String,
    points: Option<i32>,
    origin: String,
    issued_at: DateTime<Utc>,
}

/// A summit's passes (staff, `passes:read` keys), oldest first. `Accept: text/csv` streams every pass, with the member's email for staff and `members:email` keys (empty otherwise).
#[utoipa::path(
    tag = "passes",
    params(("id" = Uuid, Path, description = "Summit id"), PassQuery, PageParams),
    responses(
        (status = 200, description = "One page (JSON) or every pass (CSV)", content(
            (Page<PassView> = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "Unknown status, bad `limit` or `cursor`"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:read` key"),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}/passes")]
pub async fn list_passes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<PassQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        policy::staff_or_scope(&caller.actor, Scope::PassesRead),
        format!("staff or an API key with `{}` only", Scope::PassesRead),
    )?;
    passes::summit(&state.db, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let filter = PassFilter {
        summit: Some(*id),
        member: None,
        program: query.program.clone(),
        status: query.status.map(|s| s.as_str().to_owned()),
    };
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        // The column stays, so scripts read one shape; it is empty unless
        // the caller may see emails (staff, or a `members:email` key).
        let with_emails = may_see_emails(&caller.actor);
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "passes.csv",
            &[
                "id",
                "member_id",
                "email",
                "display_name",
                "program",
                "code",
                "status",
                "points",
                "origin",
                "issued_at",
            ],
            move |mut sink: csv_export::CsvSink| async move {
                let mut after = None;
                loop {
                    let rows = passes::list(&db, &filter, after, Some(1000)).await?;
                    let done = rows.len() < 1000;
                    after = rows.last().map(|p| p.id);
                    let people =
                        members_of(&db, rows.iter().map(|p| p.member_id).collect()).await?;
                    for p in rows {
                        let (email, name) = people.get(&p.member_id).cloned().unwrap_or_default();
                        let email = if with_emails { email } else { String::new() };
                        sink.write(&PassCsv {
                            id: p.id,
                            member_id: p.member_id,
                            email,
                            display_name: name,
                            program: p.program,
                            code: pass_code::display(&p.code),
                            status: p.status,
                            points: p.points,
                            origin: p.origin,
                            issued_at: p.issued_at,
                        })
                        .await?;
                    }
                    if done {
                        return Ok(sink);
                    }
                }
            },
        ));
    }
    let limit = page.limit()?;
    let rows = passes::list(&state.db, &filter, page.cursor::<Uuid>()?, Some(limit + 1)).await?;
    reply::list(&Page::from_rows(rows, limit, |p| p.id, PassView::from))
}

/// Emails and names of members by id, in one query.
async fn members_of(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, (String, String)>, ApiError> {
    Ok(members::contacts(db, ids)
        .await?
        .into_iter()
        .map(|c| (c.id, (c.email, c.display_name)))
        .collect())
}

/// The caller's passes.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All of them, oldest first", body = Vec<PassView>),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me/passes")]
pub async fn my_passes(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let rows = passes::list(
        &state.db,
        &PassFilter {
            member: Some(me.id),
            ..Default::default()
        },
        None,
        None,
    )
    .await?;
    reply::list(&rows.into_iter().map(PassView::from).collect::<Vec<_>>())
}

/// A code presented at the door.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"code": "7kq2 m9xd 4t1b rh8w"}))]
pub struct RedeemRequest {
    /// Case-insensitive; dashes and spaces ignored.
    pub code: String,
}

/// Redeems a pass, once only (staff, `passes:redeem` keys).
///
/// A code whose check character is wrong is refused (422 `invalid_code`)
/// before any lookup.
#[utoipa::path(
    tag = "passes",
    request_body = RedeemRequest,
    responses(
        (status = 200, description = "Redeemed", body = PassView),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:redeem` key"),
        (status = 404, description = "No pass with this code"),
        (status = 409, description = "Already redeemed (`already_redeemed`)"),
        (status = 410, description = "Revoked (`revoked`)"),
        (status = 422, description = "Not a valid code (`invalid_code`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:invalid_code", "title": "Unprocessable Entity", "status": 422,
           "detail": "code: the code's check character does not match: mistyped?", "code": "invalid_code",
           "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
           "errors": [{"field": "code", "code": "invalid_code", "message": "the code's check character does not match: mistyped?"}]}))
    )
)]
#[post("/passes/redeem")]
pub async fn redeem_pass(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<RedeemRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        policy::staff_or_scope(&caller.actor, Scope::PassesRedeem),
        format!("staff or an API key with `{}` only", Scope::PassesRedeem),
    )?;
    let code = pass_code::parse(&body.code).map_err(|liaison_domain::Invalid(errors)| {
        ApiError::Validation {
            code: "invalid_code",
            errors,
        }
    })?;
    let txn = state.db.begin().await?;
    let Some(pass) = passes::redeem(&txn, &code).await? else {
        // Not redeemable: say why.
        let pass = passes::find(&txn, None, Some(&code), false)
            .await?
            .ok_or(ApiError::NotFound)?;
        return Err(match pass.status.as_str() {
            "revoked" => ApiError::Gone {
                code: "revoked",
                detail: "this pass was revoked".into(),
            },
            _ => ApiError::conflict("already_redeemed", "this pass was already redeemed"),
        });
    };
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new("pass.redeemed", "pass", pass.id, json!({})),
    )
    .await?;
    txn.commit().await?;
    reply::resource(&PassView::from(pass))
}

/// A reason.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"reason": "Issued to the wrong person"}))]
pub struct ReasonRequest {
    /// Required, 1–2000 characters.
    pub reason: String,
}

/// Revokes a pass (staff); its place in the quota is freed.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = ReasonRequest,
    params(("id" = Uuid, Path, description = "Pass id")),
    responses(
        (status = 200, description = "Revoked", body = PassView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such pass"),
        (status = 409, description = "Already revoked (`invalid_transition`)"),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/passes/{id}/revoke")]
pub async fn revoke_pass(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ReasonRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("revoke passes")?;
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    let txn = state.db.begin().await?;
    let pass = passes::find(&txn, Some(*id), None, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !passes::revoke(&txn, pass.id, &reason).await? {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the pass is already revoked",
        ));
    }
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new("pass.revoked", "pass", pass.id, json!({"reason": reason})),
    )
    .await?;
    let updated = passes::find(&txn, Some(pass.id), None, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    reply::resource(&PassView::from(updated))
}

/// An appeal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e90", "summit_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e70",
  "program": "acc", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "message": "My meetups were on luma, not meetup.",
  "status": "open", "reason": null, "decided_at": null, "pass_id": null, "created_at": "2026-11-23T10:00:00Z"}))]
pub struct AppealView {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    pub message: String,
    /// `open`, `granted` or `denied`.
    pub status: String,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The pass issued when granted.
    pub pass_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<Appeal> for AppealView {
    fn from(a: Appeal) -> Self {
        Self {
            id: a.id,
            summit_id: a.summit_id,
            program: a.program,
            member_id: a.member_id,
            message: a.message,
            status: a.status,
            reason: a.reason,
            decided_at: a.decided_at,
            pass_id: a.pass_id,
            created_at: a.created_at,
        }
    }
}

/// An appeal to file.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"program": "acc", "message": "My meetups were on luma, not meetup."}))]
pub struct AppealRequest {
    pub program: String,
    /// 10–5000 characters.
    pub message: String,
}

/// Appeals a summit programme's decision (members).
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = AppealRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("id" = Uuid, Path, description = "Summit id")),
    responses(
        (status = 201, description = "Filed", body = AppealView),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such summit"),
        (status = 409, description = "An open appeal exists (`already_exists`)"),
        (status = 422, description = "Invalid fields")
    )
)]
#[post("/summits/{id}/appeals")]
pub async fn file_appeal(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<AppealRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let message = text_len("message", &body.message, 10, 5000)?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    passes::summit(txn, *id).await?.ok_or(ApiError::NotFound)?;
    if !passes::quotas(txn, vec![*id])
        .await?
        .iter()
        .any(|q| q.program == body.program)
    {
        return Err(ApiError::invalid_field(
            "program",
            "unknown_program",
            "not offered at this summit",
        ));
    }
    let appeal = passes::insert_appeal(txn, *id, &body.program, me.id, &message)
        .await
        .on_constraint("appeals_one_open_key", || {
            ApiError::conflict(
                "already_exists",
                "you already have an open appeal for this programme",
            )
        })?;
    cmd.audit(AuditEvent::new(
        "appeal.filed",
        "appeal",
        appeal.id,
        json!({"summit_id": *id, "program": body.program}),
    ))
    .await?;
    cmd.finish(Reply::created(
        &AppealView::from(appeal.clone()),
        format!("/v1/summits/{id}/appeals"),
    )?)
    .await
}

/// A summit's appeals (staff), oldest first.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Summit id"), PageParams),
    responses(
        (status = 200, description = "One page", body = Page<AppealView>),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}/appeals")]
pub async fn list_appeals(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("read appeals")?;
    passes::summit(&state.db, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = page.limit()?;
    let rows = passes::appeals(&state.db, *id, page.cursor::<Uuid>()?, limit + 1).await?;
    reply::list(&Page::from_rows(rows, limit, |a| a.id, AppealView::from))
}

/// Staff's decision on an appeal.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"outcome": "granted", "reason": "Verified the luma events."}))]
pub struct AppealDecision {
    pub outcome: AppealOutcome,
    /// Required, 1–2000 characters.
    pub reason: String,
}

/// Granted or denied.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    Granted,
    Denied,
}

/// Decides an appeal (staff). Granting issues a pass in the same transaction, within the quota.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = AppealDecision,
    params(("id" = Uuid, Path, description = "Appeal id")),
    responses(
        (status = 200, description = "Decided", body = AppealView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such appeal"),
        (status = 409, description = "Already decided (`invalid_transition`), `quota_exhausted`, or `already_has_pass`"),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/appeals/{id}/decision")]
pub async fn decide_appeal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<AppealDecision>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("decide appeals")?;
    let me = caller.member()?.clone();
    let reason = text_len("reason", &body.reason, 1, 2000)?;
    let txn = state.db.begin().await?;
    let appeal = passes::appeal(&txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    if appeal.status != "open" {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the appeal is already {}", appeal.status),
        ));
    }
    let (status, pass) = match body.outcome {
        AppealOutcome::Denied => ("denied", None),
        AppealOutcome::Granted => {
            let pass = issue_single(
                &txn,
                appeal.summit_id,
                &appeal.program,
                appeal.member_id,
                "appeal",
                &reason,
            )
            .await?;
            audit::record(&txn, &caller.audit(), AuditEvent::new("pass.issued", "pass", pass.id, json!({"member_id": appeal.member_id, "program": appeal.program, "origin": "appeal"}))).await?;
            ("granted", Some(pass.id))
        }
    };
    passes::decide_appeal(&txn, appeal.id, status, &reason, me.id, pass).await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "appeal.decided",
            "appeal",
            appeal.id,
            json!({"outcome": status, "reason": reason}),
        ),
    )
    .await?;
    let updated = passes::appeal(&txn, appeal.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    reply::resource(&AppealView::from(updated))
}
