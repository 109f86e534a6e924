//! Ambassador cycles (staff open them; anyone reads them), applying to a
//! cycle, the list of a cycle's applications, and the ranked proposal.

use std::collections::{BTreeMap, HashMap};

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use liaison_domain::ambassador::{
    self, affiliation_key, check_cycle, Answers, Candidate, Means, Weights,
};
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::FieldError;
use liaison_persistence::applications::{self, ApplicationFilter, NewApplication};
use liaison_persistence::cycles::{self, Cycle, CycleFields, CycleRegion};
use liaison_persistence::members;

use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::http::{etag, validate};
use crate::routes::applications::{
    render_application, render_applications, ApplicationView, MeansView,
};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_cycle)
        .service(list_cycles)
        .service(get_cycle)
        .service(update_cycle)
        .service(apply)
        .service(list_applications)
        .service(get_proposal);
}

/// Criterion weights (non-negative, not all zero).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"track_record": 2.0, "geography": 1.0, "impact": 1.0}))]
pub struct WeightsDto {
    pub track_record: f64,
    pub geography: f64,
    pub impact: f64,
}

/// A region of a cycle and its seats.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleRegionView {
    /// Region slug.
    pub region: String,
    pub name: String,
    pub seats: i32,
}

/// An ambassador cycle.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20", "name": "2027 ambassadors", "opens_at": "2026-12-01T00:00:00Z",
    "closes_at": "2027-01-15T00:00:00Z", "open": false, "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0},
    "max_per_affiliation": 2, "term_months": 12, "regions": [{"region": "europe", "name": "Europe", "seats": 3}],
    "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct CycleView {
    pub id: Uuid,
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Whether applications are accepted now.
    pub open: bool,
    pub weights: WeightsDto,
    /// Most proposed or selected ambassadors with one affiliation across the cycle.
    pub max_per_affiliation: Option<i32>,
    pub term_months: i32,
    pub regions: Vec<CycleRegionView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn render(cycle: Cycle, regions: &[CycleRegion]) -> CycleView {
    CycleView {
        id: cycle.id,
        name: cycle.name,
        open: ambassador::is_open(cycle.opens_at, cycle.closes_at, Utc::now()),
        opens_at: cycle.opens_at,
        closes_at: cycle.closes_at,
        weights: WeightsDto {
            track_record: cycle.weight_track_record,
            geography: cycle.weight_geography,
            impact: cycle.weight_impact,
        },
        max_per_affiliation: cycle.max_per_affiliation,
        term_months: cycle.term_months,
        regions: regions
            .iter()
            .filter(|r| r.cycle_id == cycle.id)
            .map(|r| CycleRegionView {
                region: r.slug.clone(),
                name: r.name.clone(),
                seats: r.seats,
            })
            .collect(),
        created_at: cycle.created_at,
        updated_at: cycle.updated_at,
    }
}

async fn load_view(db: &impl sea_orm::ConnectionTrait, id: Uuid) -> Result<CycleView, ApiError> {
    let cycle = cycles::find(db, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let regions = cycles::regions_of(db, vec![id]).await?;
    Ok(render(cycle, &regions))
}

/// Seats of one region in a cycle; omit `seats` for the region's `ambassador_seats`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CycleRegionInput {
    /// Region slug.
    pub region: String,
    /// 0–1000.
    pub seats: Option<i32>,
}

/// A cycle to open.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[schema(example = json!({
    "name": "2027 ambassadors", "opens_at": "2026-12-01T00:00:00Z", "closes_at": "2027-01-15T00:00:00Z",
    "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0}, "max_per_affiliation": 2, "term_months": 12,
    "regions": [{"region": "europe", "seats": 3}, {"region": "africa"}]
}))]
pub struct CreateCycle {
    #[validate(length(min = 2, max = 200))]
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub weights: WeightsDto,
    pub max_per_affiliation: Option<i32>,
    pub term_months: i32,
    /// Regions recruited in; omitted: every region with its default seats.
    pub regions: Option<Vec<CycleRegionInput>>,
}

/// Resolves region slugs to (id, seats), naming unknown or repeated regions.
async fn resolve_regions(
    db: &impl sea_orm::ConnectionTrait,
    inputs: Option<&[CycleRegionInput]>,
    errors: &mut Errors,
) -> Result<Vec<(Uuid, i32)>, ApiError> {
    let known = cycles::regions_by_slug(
        db,
        inputs.map(|i| i.iter().map(|r| r.region.clone()).collect()),
    )
    .await?;
    let Some(inputs) = inputs else {
        return Ok(known
            .into_iter()
            .map(|r| (r.id, r.ambassador_seats))
            .collect());
    };
    let mut out: Vec<(Uuid, i32)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let Some(region) = known.iter().find(|r| r.slug == input.region) else {
            errors.push(FieldError::new(
                format!("regions[{i}].region"),
                "unknown_region",
                format!("no region `{}`", input.region),
            ));
            continue;
        };
        if out.iter().any(|(id, _)| *id == region.id) {
            errors.push(FieldError::new(
                format!("regions[{i}].region"),
                "duplicate",
                "listed twice",
            ));
            continue;
        }
        let seats = input.seats.unwrap_or(region.ambassador_seats);
        if !(0..=1000).contains(&seats) {
            errors.push(FieldError::new(
                format!("regions[{i}].seats"),
                "range",
                "must be between 0 and 1000",
            ));
            continue;
        }
        out.push((region.id, seats));
    }
    Ok(out)
}

/// Opens a cycle (staff).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = CreateCycle,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = CycleView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 422, description = "Invalid fields (dates, weights all zero or negative, unknown region, seats)")
    )
)]
#[post("/ambassador-cycles")]
pub async fn create_cycle(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateCycle>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        can(&caller.actor, Action::Create, Resource::Cycle),
        "only staff manage cycles",
    )?;
    let mut errors = Errors::new();
    for e in validate::field_errors(&*body) {
        errors.push(e);
    }
    let w = body.weights;
    errors.take(Weights::parse(w.track_record, w.geography, w.impact));
    errors.take(check_cycle(
        body.opens_at,
        body.closes_at,
        body.term_months,
        body.max_per_affiliation,
    ));
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let regions = resolve_regions(txn, body.regions.as_deref(), &mut errors).await?;
    errors.finish()?;
    let fields = CycleFields {
        name: body.name.trim().to_owned(),
        opens_at: body.opens_at,
        closes_at: body.closes_at,
        weight_track_record: w.track_record,
        weight_geography: w.geography,
        weight_impact: w.impact,
        max_per_affiliation: body.max_per_affiliation,
        term_months: body.term_months,
    };
    let cycle = cycles::insert(txn, &fields, &regions).await?;
    let view = load_view(txn, cycle.id).await?;
    cmd.audit(AuditEvent::new(
        "cycle.created",
        "ambassador_cycle",
        cycle.id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let reply = Reply::created(&view, format!("/v1/ambassador-cycles/{}", cycle.id))?;
    cmd.finish(reply).await
}

/// Lists cycles, newest first.
#[utoipa::path(
    tag = "ambassador programme",
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<CycleView>),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/ambassador-cycles")]
pub async fn list_cycles(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let rows = cycles::list(&state.db, page.cursor::<Uuid>()?, limit + 1).await?;
    let regions = cycles::regions_of(&state.db, rows.iter().map(|c| c.id).collect()).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |c| c.id,
        |c| render(c, &regions),
    ))
}

/// One cycle.
#[utoipa::path(
    tag = "ambassador programme",
    params(("id" = Uuid, Path, description = "Cycle id")),
    responses(
        (status = 200, description = "The cycle, with an ETag", body = CycleView),
        (status = 404, description = "No such cycle")
    )
)]
#[get("/ambassador-cycles/{id}")]
pub async fn get_cycle(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    reply::resource(&load_view(&state.db, *id).await?)
}

/// Changes to a cycle; absent fields stay. `regions` sets seats (adding regions).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"closes_at": "2027-01-31T00:00:00Z", "regions": [{"region": "europe", "seats": 4}]}))]
pub struct CyclePatch {
    pub name: Option<String>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub weights: Option<WeightsDto>,
    /// `null` removes the cap.
    #[serde(
        default,
        deserialize_with = "crate::routes::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i32>)]
    pub max_per_affiliation: Option<Option<i32>>,
    pub term_months: Option<i32>,
    pub regions: Option<Vec<CycleRegionInput>>,
}

/// Changes a cycle (staff). Honours `If-Match`.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = CyclePatch,
    params(("id" = Uuid, Path, description = "Cycle id"), ("If-Match" = Option<String>, Header, description = "ETag as last read")),
    responses(
        (status = 200, description = "The changed cycle", body = CycleView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such cycle"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/ambassador-cycles/{id}")]
pub async fn update_cycle(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<CyclePatch>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        can(&caller.actor, Action::Update, Resource::Cycle),
        "only staff manage cycles",
    )?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let cycle = cycles::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let current = load_view(txn, cycle.id).await?;
    etag::check_if_match(&req, &etag::of_value(&current)?)?;
    let mut errors = Errors::new();
    let w = body.weights.unwrap_or(current.weights);
    let fields = CycleFields {
        name: body
            .name
            .clone()
            .map(|n| n.trim().to_owned())
            .unwrap_or(cycle.name.clone()),
        opens_at: body.opens_at.unwrap_or(cycle.opens_at),
        closes_at: body.closes_at.unwrap_or(cycle.closes_at),
        weight_track_record: w.track_record,
        weight_geography: w.geography,
        weight_impact: w.impact,
        max_per_affiliation: match body.max_per_affiliation {
            Some(cap) => cap,
            None => cycle.max_per_affiliation,
        },
        term_months: body.term_months.unwrap_or(cycle.term_months),
    };
    if !(2..=200).contains(&fields.name.chars().count()) {
        errors.push(FieldError::new(
            "name",
            "length",
            "length must be between 2 and 200",
        ));
    }
    errors.take(Weights::parse(w.track_record, w.geography, w.impact));
    errors.take(check_cycle(
        fields.opens_at,
        fields.closes_at,
        fields.term_months,
        fields.max_per_affiliation,
    ));
    let regions = match body.regions.as_deref() {
        Some(inputs) => resolve_regions(txn, Some(inputs), &mut errors).await?,
        None => vec![],
    };
    errors.finish()?;
    cycles::update(txn, cycle.id, &fields).await?;
    cycles::set_regions(txn, cycle.id, &regions).await?;
    let view = load_view(txn, cycle.id).await?;
    cmd.audit(AuditEvent::new(
        "cycle.updated",
        "ambassador_cycle",
        cycle.id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    cmd.finish(Reply::ok(&view)?).await
}

/// An application to write.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "region": "europe",
    "why_apply": "I have run the Lyon operators meetup for three years and want to help other cities start theirs.",
    "participation": "Monthly meetups of 60–100 operators, two talks at the summit, French translation of the install guide.",
    "ideas": "A travelling workshop kit for first-time organisers, and a shared calendar of European meetups.",
    "links": ["https://example.org/lyon-operators"]
}))]
pub struct CreateApplication {
    /// Region slug; must be one of the cycle's regions.
    pub region: String,
    /// 50–5000 characters.
    pub why_apply: String,
    /// 50–5000 characters.
    pub participation: String,
    /// 50–5000 characters.
    pub ideas: String,
    /// Up to 10 http(s) URLs.
    #[serde(default)]
    pub links: Vec<String>,
}

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

/// Filters of a cycle's applications.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// Region slug.
    pub region: Option<String>,
    /// `draft`, `submitted`, `selected`, `declined` or `withdrawn`.
    pub status: Option<StatusParam>,
}

/// An application status, as a query parameter.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusParam {
    Draft,
    Submitted,
    Selected,
    Declined,
    Withdrawn,
}

impl From<StatusParam> for ambassador::ApplicationStatus {
    fn from(s: StatusParam) -> Self {
        match s {
            StatusParam::Draft => Self::Draft,
            StatusParam::Submitted => Self::Submitted,
            StatusParam::Selected => Self::Selected,
            StatusParam::Declined => Self::Declined,
            StatusParam::Withdrawn => Self::Withdrawn,
        }
    }
}

/// A cycle's applications (staff and active ambassadors), oldest first.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cycle id"), ApplicationQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ApplicationView>),
        (status = 400, description = "Unknown status, bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither staff nor an active ambassador"),
        (status = 404, description = "No such cycle")
    )
)]
#[get("/ambassador-cycles/{id}/applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ApplicationQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    if !me.is_staff() && me.ambassador_of.is_empty() {
        return Err(ApiError::forbidden(
            "only staff and active ambassadors read applications",
        ));
    }
    let cycle = cycles::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = page.limit()?;
    let filter = ApplicationFilter {
        region: query.region.clone(),
        status: query
            .status
            .map(|s| ambassador::ApplicationStatus::from(s).as_str().to_owned()),
        exclude_drafts: !me.is_staff(),
    };
    let rows = applications::list_for_cycle(
        &state.db,
        cycle.id,
        &filter,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    let page = Page::from_rows(rows, limit, |a| a.id, |a| a);
    let items = render_applications(&state.db, page.items).await?;
    reply::list(&Page {
        items,
        next_cursor: page.next_cursor,
    })
}

/// One application in a region's proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalRowView {
    pub application_id: Uuid,
    pub member_id: Uuid,
    /// The affiliation counted against the cap (as submitted).
    pub affiliation: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Number of reviews.
    pub reviews: i64,
    /// Mean per criterion; null without reviews.
    pub means: Option<MeansView>,
    /// Weighted score; null without reviews.
    pub score: Option<f64>,
    /// 1-based rank among ranked applications.
    pub rank: Option<usize>,
    pub proposed: bool,
    /// Plain-language reason, e.g. "rank 2, 3 seats".
    pub reason: String,
}

/// One region's ranked applications.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionProposal {
    pub region: String,
    pub seats: i32,
    /// Already selected in this region.
    pub selected: i64,
    pub rows: Vec<ProposalRowView>,
}

/// A cycle's proposal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "cycle_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20", "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0}, "max_per_affiliation": 2,
    "regions": [{"region": "europe", "seats": 2, "selected": 0, "rows": [
        {"application_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e21", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "affiliation": "Acme Cloud",
         "submitted_at": "2026-12-02T09:00:00Z", "reviews": 3, "means": {"track_record": 4.3, "geography": 3.0, "impact": 4.0}, "score": 3.9,
         "rank": 1, "proposed": true, "reason": "rank 1, 2 seats"},
        {"application_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e22", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "affiliation": null,
         "submitted_at": "2026-12-03T09:00:00Z", "reviews": 0, "means": null, "score": null, "rank": null, "proposed": false, "reason": "unranked: no reviews"}
    ]}]
}))]
pub struct ProposalView {
    pub cycle_id: Uuid,
    pub weights: WeightsDto,
    pub max_per_affiliation: Option<i32>,
    /// Regions by slug; the affiliation cap runs across them in this order.
    pub regions: Vec<RegionProposal>,
}

/// The ranked proposal per region (staff).
///
/// Per region: submitted applications by weighted score (desc), then earlier
/// submission, then id; seats filled in order (less those already selected),
/// skipping an application whose affiliation has reached the cap in the cycle.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cycle id")),
    responses(
        (status = 200, description = "Per region: ranked rows with `score`, `proposed` and `reason`", body = ProposalView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such cycle")
    )
)]
#[get("/ambassador-cycles/{id}/proposal")]
pub async fn get_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    if !can(&caller.actor, Action::Read, Resource::Proposal) {
        return Err(ApiError::forbidden("only staff read the proposal"));
    }
    let cycle = cycles::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let regions = cycles::regions_of(&state.db, vec![cycle.id]).await?;
    let ranked = applications::cycle_means(&state.db, cycle.id).await?;
    reply::resource(&build_proposal(&cycle, &regions, ranked))
}

/// Builds the proposal from the one aggregate query (pure, after the IO).
pub fn build_proposal(
    cycle: &Cycle,
    regions: &[CycleRegion],
    ranked: Vec<applications::Ranked>,
) -> ProposalView {
    let weights = Weights {
        track_record: cycle.weight_track_record,
        geography: cycle.weight_geography,
        impact: cycle.weight_impact,
    };
    let cap = cycle.max_per_affiliation.map(|c| c as usize);
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut selected_in_region: HashMap<Uuid, i64> = HashMap::new();
    for r in ranked.iter().filter(|r| r.status == "selected") {
        *selected_in_region.entry(r.region_id).or_default() += 1;
        if let Some(key) = affiliation_key(r.affiliation.as_deref()) {
            *taken.entry(key).or_default() += 1;
        }
    }
    let by_id: HashMap<Uuid, &applications::Ranked> = ranked.iter().map(|r| (r.id, r)).collect();
    let means_of = |r: &applications::Ranked| match (r.track_record, r.geography, r.impact) {
        (Some(track_record), Some(geography), Some(impact)) if r.reviews > 0 => Some(Means {
            track_record,
            geography,
            impact,
        }),
        _ => None,
    };
    let out = regions
        .iter()
        .map(|region| {
            let candidates: Vec<Candidate> = ranked
                .iter()
                .filter(|r| r.region_id == region.region_id && r.status == "submitted")
                .map(|r| Candidate {
                    id: r.id,
                    affiliation: affiliation_key(r.affiliation.as_deref()),
                    submitted_at: r.submitted_at.unwrap_or(cycle.closes_at),
                    score: means_of(r).map(|m| ambassador::score(&weights, &m)),
                })
                .collect();
            let selected = selected_in_region
                .get(&region.region_id)
                .copied()
                .unwrap_or(0);
            let rows = ambassador::propose(
                candidates,
                region.seats.max(0) as usize,
                cap,
                &mut taken,
                selected as usize,
            )
            .into_iter()
            .filter_map(|row| {
                let r = by_id.get(&row.application_id)?;
                Some(ProposalRowView {
                    application_id: row.application_id,
                    member_id: r.member_id,
                    affiliation: r.affiliation.clone(),
                    submitted_at: r.submitted_at,
                    reviews: r.reviews,
                    means: means_of(r).map(MeansView::from),
                    score: row.score,
                    rank: row.rank,
                    proposed: row.proposed,
                    reason: row.reason,
                })
            })
            .collect();
            RegionProposal {
                region: region.slug.clone(),
                seats: region.seats,
                selected,
                rows,
            }
        })
        .collect();
    ProposalView {
        cycle_id: cycle.id,
        weights: WeightsDto {
            track_record: weights.track_record,
            geography: weights.geography,
            impact: weights.impact,
        },
        max_per_affiliation: cycle.max_per_affiliation,
        regions: out,
    }
}
