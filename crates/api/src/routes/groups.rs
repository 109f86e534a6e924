//! User groups: registration, review by the region's ambassador, status
//! changes and promotion, organizers, health, the attention list, the
//! public directory and the volunteer search.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::group::{self, Activity, GroupSpec, GroupStatus, PromotionFacts};
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::values::{text_len, CountryCode};
use liaison_domain::Actor;
use liaison_persistence::groups::{
    self, Group, GroupChanges, GroupFilter, GroupWithHealth, NewGroup, Viewer,
};
use liaison_persistence::{ambassadorships, audit, members, regions};

use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::http::{csv_export, etag};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register_group)
        .service(list_groups)
        .service(get_group)
        .service(update_group)
        .service(review_group)
        .service(change_group_status)
        .service(list_organizers)
        .service(add_organizer)
        .service(remove_organizer)
        .service(group_health)
        .service(attention_list)
        .service(directory)
        .service(search_members);
}

/// A user group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators", "name": "Lyon Operators", "country": "FR", "city": "Lyon",
    "region": "europe", "description": "Monthly meetup of people who run the software in production.",
    "links": ["https://example.org/lyon"], "coc_accepted": true, "status": "provisional", "status_reason": "Welcome!",
    "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct GroupView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    /// Region slug (from the country); null when the country is in no region.
    pub region: Option<String>,
    pub description: String,
    pub links: Vec<String>,
    /// Whether the organizers accepted the code of conduct.
    pub coc_accepted: bool,
    /// `pending`, `provisional`, `official`, `rejected` or `inactive`.
    pub status: String,
    /// Why the last review or status change was made.
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Group> for GroupView {
    fn from(g: Group) -> Self {
        Self {
            id: g.id,
            slug: g.slug,
            name: g.name,
            country: g.country,
            city: g.city,
            region: g.region_slug,
            description: g.description,
            links: g.links,
            coc_accepted: g.coc_accepted,
            status: g.status,
            status_reason: g.status_reason,
            created_at: g.created_at,
            updated_at: g.updated_at,
        }
    }
}

/// A group's health, computed from its data.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "held_last_90_days": 3, "held_last_365_days": 11, "average_attendance": 64.5, "organizers": 2,
    "last_event_at": "2026-11-12T18:00:00Z", "next_event_at": "2026-12-10T18:00:00Z", "feedback_last_365_days": 0, "flags": []
}))]
pub struct HealthView {
    pub held_last_90_days: i64,
    pub held_last_365_days: i64,
    /// Mean `attendee_count` of events held in the last 365 days.
    pub average_attendance: Option<f64>,
    pub organizers: i64,
    pub last_event_at: Option<DateTime<Utc>>,
    pub next_event_at: Option<DateTime<Utc>>,
    /// Feedback items linked to the group in the last 365 days (0 until feedback exists).
    pub feedback_last_365_days: i64,
    /// Any of `no_event_180d`, `single_organizer`, `no_upcoming_event`.
    pub flags: Vec<String>,
}

fn health_of(g: &GroupWithHealth) -> HealthView {
    HealthView {
        held_last_90_days: g.held_last_90_days,
        held_last_365_days: g.held_last_365_days,
        average_attendance: g.average_attendance.map(|a| (a * 10.0).round() / 10.0),
        organizers: g.organizers,
        last_event_at: g.last_event_at,
        next_event_at: g.next_event_at,
        feedback_last_365_days: 0,
        flags: group::health_flags(Activity {
            held_last_180_days: g.held_last_180_days,
            upcoming: g.upcoming,
            organizers: g.organizers,
        })
        .into_iter()
        .map(str::to_owned)
        .collect(),
    }
}

/// A group in a list, with its health.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupListItem {
    #[serde(flatten)]
    pub group: GroupView,
    pub health: HealthView,
}

fn list_item(g: GroupWithHealth) -> GroupListItem {
    let health = health_of(&g);
    GroupListItem {
        group: GroupView {
            id: g.id,
            slug: g.slug,
            name: g.name,
            country: g.country,
            city: g.city,
            region: g.region_slug,
            description: g.description,
            links: g.links,
            coc_accepted: g.coc_accepted,
            status: g.status,
            status_reason: g.status_reason,
            created_at: g.created_at,
            updated_at: g.updated_at,
        },
        health,
    }
}

/// Who is looking, for the list queries' visibility rule.
pub fn viewer_of(actor: &Actor) -> Viewer {
    match actor.member() {
        Some(m) => Viewer {
            staff: m.is_staff(),
            member: Some(m.id),
            ambassador_of: m.ambassador_of.iter().copied().collect(),
        },
        None => Viewer::default(),
    }
}

fn status_of(g: &Group) -> Result<GroupStatus, ApiError> {
    GroupStatus::parse(&g.status)
        .ok_or_else(|| ApiError::Internal(format!("unknown group status {}", g.status)))
}

/// The policy's view of a group for this caller.
pub async fn resource_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    g: &Group,
) -> Result<Resource, ApiError> {
    let caller_organizes = match caller.actor.member() {
        Some(m) => groups::is_organizer(db, g.id, m.id).await?,
        None => false,
    };
    Ok(Resource::Group {
        status: status_of(g)?,
        region: g.region_id,
        caller_organizes,
    })
}

/// Loads a group the caller may see (else 404), with the policy's view of it.
pub async fn visible_group(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id_or_slug: &str,
    lock: bool,
) -> Result<(Group, Resource), ApiError> {
    let g = groups::find(db, id_or_slug, lock)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = resource_of(db, caller, &g).await?;
    if can(&caller.actor, Action::Read, resource) {
        Ok((g, resource))
    } else {
        Err(ApiError::NotFound)
    }
}

/// A group to register.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "Lyon Operators", "slug": "lyon-operators", "country": "FR", "city": "Lyon",
    "description": "Monthly meetup of people who run the software in production.",
    "links": ["https://example.org/lyon"], "coc_accepted": true
}))]
pub struct RegisterGroup {
    /// 2–120 characters.
    pub name: String,
    /// `[a-z0-9-]{2,64}`, unique.
    pub slug: String,
    /// ISO 3166-1 alpha-2; the region follows from it.
    pub country: String,
    pub city: String,
    #[serde(default)]
    pub description: String,
    /// Up to 10 http(s) URLs.
    #[serde(default)]
    pub links: Vec<String>,
    /// The code of conduct is accepted (required for promotion to official).
    #[serde(default)]
    pub coc_accepted: bool,
}

/// Registers a group: it starts `pending` and the caller is its lead organizer.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = RegisterGroup,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Registered, pending review", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 409, description = "Slug taken (`already_exists`)"),
        (status = 422, description = "Invalid fields (slug pattern, unknown country, …)")
    )
)]
#[post("/groups")]
pub async fn register_group(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<RegisterGroup>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let spec = GroupSpec::parse(
        &body.slug,
        &body.name,
        &body.country,
        &body.city,
        &body.description,
        &body.links,
        body.coc_accepted,
    )?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let id = groups::insert(
        txn,
        NewGroup {
            slug: spec.slug.as_str().to_owned(),
            name: spec.name,
            country: spec.country.as_str().to_owned(),
            city: spec.city,
            description: spec.description,
            links: spec.links,
            coc_accepted: spec.coc_accepted,
        },
        me.id,
    )
    .await
    .on_constraint("groups_slug_key", || {
        ApiError::conflict("already_exists", "a group with this slug exists")
    })?;
    let g = groups::find(txn, &id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.audit(AuditEvent::new(
        "group.registered",
        "group",
        id,
        json!({"slug": g.slug, "country": g.country, "region": g.region_slug}),
    ))
    .await?;
    let reply = Reply::created(&GroupView::from(g), format!("/v1/groups/{id}"))?;
    cmd.finish(reply).await
}

/// Filters of the group list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// Region slug.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// `pending`, `provisional`, `official`, `rejected` or `inactive`.
    pub status: Option<GroupStatusParam>,
    /// Words in the name or city.
    pub q: Option<String>,
}

/// A group status, as a query parameter.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupStatusParam {
    Pending,
    Provisional,
    Official,
    Rejected,
    Inactive,
}

impl From<GroupStatusParam> for GroupStatus {
    fn from(s: GroupStatusParam) -> Self {
        match s {
            GroupStatusParam::Pending => Self::Pending,
            GroupStatusParam::Provisional => Self::Provisional,
            GroupStatusParam::Official => Self::Official,
            GroupStatusParam::Rejected => Self::Rejected,
            GroupStatusParam::Inactive => Self::Inactive,
        }
    }
}

#[derive(Serialize)]
struct GroupCsv {
    id: Uuid,
    slug: String,
    name: String,
    status: String,
    country: String,
    city: String,
    region: Option<String>,
    organizers: i64,
    held_last_90_days: i64,
    held_last_365_days: i64,
    average_attendance: Option<f64>,
    last_event_at: Option<DateTime<Utc>>,
    next_event_at: Option<DateTime<Utc>>,
    flags: String,
}

const GROUP_CSV_HEADER: &[&str] = &[
    "id",
    "slug",
    "name",
    "status",
    "country",
    "city",
    "region",
    "organizers",
    "held_last_90_days",
    "held_last_365_days",
    "average_attendance",
    "last_event_at",
    "next_event_at",
    "flags",
];

/// Lists the groups the caller may see, by slug, each with its health.
/// `Accept: text/csv` streams every matching group.
#[utoipa::path(
    tag = "groups",
    params(GroupQuery, PageParams),
    responses(
        (status = 200, description = "One page (JSON) or every row (CSV)", content(
            (Page<GroupListItem> = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "Unknown status, bad country, `limit` or `cursor`")
    )
)]
#[get("/groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: web::Query<GroupQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let country = match query.country.as_deref() {
        Some(c) => Some(
            CountryCode::parse("country", c)
                .map_err(|_| ApiError::bad_param("country", "not an ISO 3166-1 alpha-2 code"))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let filter = GroupFilter {
        region: query.region.clone(),
        country,
        status: query
            .status
            .map(|s| GroupStatus::from(s).as_str().to_owned()),
        q: query
            .q
            .clone()
            .filter(|q| !q.trim().is_empty())
            .map(|q| q.trim().to_owned()),
    };
    let viewer = viewer_of(&caller.actor);
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "groups.csv",
            GROUP_CSV_HEADER,
            move |mut sink: csv_export::CsvSink| async move {
                // Pages of 500 keep memory bounded whatever the number of groups.
                let mut after: Option<String> = None;
                loop {
                    let rows =
                        groups::list(&db, &viewer, &filter, after.clone(), Some(500)).await?;
                    let done = rows.len() < 500;
                    after = rows.last().map(|g| g.slug.clone());
                    for g in rows {
                        let health = health_of(&g);
                        sink.write(&GroupCsv {
                            id: g.id,
                            slug: g.slug,
                            name: g.name,
                            status: g.status,
                            country: g.country,
                            city: g.city,
                            region: g.region_slug,
                            organizers: g.organizers,
                            held_last_90_days: g.held_last_90_days,
                            held_last_365_days: g.held_last_365_days,
                            average_attendance: health.average_attendance,
                            last_event_at: g.last_event_at,
                            next_event_at: g.next_event_at,
                            flags: health.flags.join(" "),
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
    let rows = groups::list(
        &state.db,
        &viewer,
        &filter,
        page.cursor::<String>()?,
        Some(limit + 1),
    )
    .await?;
    reply::list(&Page::from_rows(rows, limit, |g| g.slug.clone(), list_item))
}

/// One group, by id or slug.
#[utoipa::path(
    tag = "groups",
    params(("id_or_slug" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "The group, with an ETag", body = GroupView),
        (status = 404, description = "No such group, or pending and not yours to see")
    )
)]
#[get("/groups/{id_or_slug}")]
pub async fn get_group(
    state: web::Data<AppState>,
    caller: Caller,
    id_or_slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id_or_slug, false).await?;
    reply::resource(&GroupView::from(g))
}

/// Changes to a group; absent fields stay.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"description": "Monthly meetup, now with a hands-on track.", "coc_accepted": true}))]
pub struct GroupPatch {
    pub name: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub description: Option<String>,
    pub links: Option<Vec<String>>,
    pub coc_accepted: Option<bool>,
}

/// Edits a group (its organizers, or staff). Honours `If-Match`.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = GroupPatch,
    params(("id_or_slug" = String, Path, description = "Group id or slug"), ("If-Match" = Option<String>, Header, description = "ETag as last read")),
    responses(
        (status = 200, description = "The changed group", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/groups/{id_or_slug}")]
pub async fn update_group(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id_or_slug: web::Path<String>,
    body: Json<GroupPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let mut errors = Errors::new();
    let changes = GroupChanges {
        name: body
            .name
            .as_deref()
            .and_then(|n| errors.take(text_len("name", n, 2, 120))),
        country: body
            .country
            .as_deref()
            .and_then(|c| errors.take(CountryCode::parse("country", c)))
            .map(|c| c.as_str().to_owned()),
        city: body
            .city
            .as_deref()
            .and_then(|c| errors.take(text_len("city", c, 1, 100))),
        description: body
            .description
            .as_deref()
            .and_then(|d| errors.take(text_len("description", d, 0, 5000))),
        links: body
            .links
            .as_deref()
            .and_then(|l| errors.take(group::parse_links(l))),
        coc_accepted: body.coc_accepted,
    };
    errors.finish()?;
    let txn = state.db.begin().await?;
    let (g, resource) = visible_group(&txn, &caller, &id_or_slug, true).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden("only the group's organizers edit it"));
    }
    etag::check_if_match(&req, &etag::of_value(&GroupView::from(g.clone()))?)?;
    groups::update(&txn, g.id, changes).await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "group.updated",
            "group",
            g.id,
            serde_json::to_value(&*body).unwrap_or_default(),
        ),
    )
    .await?;
    let updated = groups::find(&txn, &g.id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    reply::resource(&GroupView::from(updated))
}

/// An ambassador's review of a pending group.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"decision": "approve", "reason": "Welcome! Two meetups already held in Lyon."}))]
pub struct ReviewGroup {
    pub decision: ReviewDecision,
    /// Required when rejecting (1–2000 characters); optional when approving.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Approve (→ provisional) or reject.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Approve,
    Reject,
}

fn transition_error(from: GroupStatus, to: GroupStatus) -> ApiError {
    ApiError::conflict(
        "invalid_transition",
        format!("a {} group cannot become {}", from.as_str(), to.as_str()),
    )
}

fn reason_of(reason: &Option<String>, required: bool) -> Result<Option<String>, ApiError> {
    match reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if r.chars().count() <= 2000 => Ok(Some(r.to_owned())),
        Some(_) => Err(ApiError::invalid_field(
            "reason",
            "length",
            "at most 2000 characters",
        )),
        None if required => Err(ApiError::invalid_field(
            "reason",
            "required",
            "a reason is required",
        )),
        None => Ok(None),
    }
}

/// Approves or rejects a pending group (an ambassador of its region, or staff; never its organizers).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = ReviewGroup,
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Reviewed", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an ambassador of the region or staff, or an organizer of the group"),
        (status = 404, description = "No such group, or not visible"),
        (status = 409, description = "Not pending (`invalid_transition`)"),
        (status = 422, description = "Rejection without a reason")
    )
)]
#[post("/groups/{id}/review")]
pub async fn review_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Json<ReviewGroup>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let reason = reason_of(&body.reason, body.decision == ReviewDecision::Reject)?;
    let txn = state.db.begin().await?;
    let (g, resource) = visible_group(&txn, &caller, &id, true).await?;
    if !can(&caller.actor, Action::Review, resource) {
        return Err(ApiError::forbidden(
            "only an ambassador of the group's region or staff review it, never its organizers",
        ));
    }
    let to = match body.decision {
        ReviewDecision::Approve => GroupStatus::Provisional,
        ReviewDecision::Reject => GroupStatus::Rejected,
    };
    let from = status_of(&g)?;
    if from != GroupStatus::Pending || !from.can_become(to) {
        return Err(transition_error(from, to));
    }
    groups::set_status(&txn, g.id, to.as_str(), reason.as_deref()).await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "group.reviewed",
            "group",
            g.id,
            json!({"from": from.as_str(), "to": to.as_str(), "reason": reason}),
        ),
    )
    .await?;
    let updated = groups::find(&txn, &g.id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    reply::resource(&GroupView::from(updated))
}

/// A status change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "official", "reason": "Three meetups this year and two organizers."}))]
pub struct StatusChange {
    pub status: TargetStatus,
    /// Required (1–2000 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The statuses a review may set.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Official,
    Inactive,
    Provisional,
}

/// Promotes a group to `official` (criteria checked now), makes it `inactive`, or back to `provisional`.
///
/// A refused promotion answers 409 `promotion_criteria_unmet`, listing every
/// unmet criterion with its measured value in `errors`.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = StatusChange,
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Changed", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an ambassador of the region or staff, or an organizer"),
        (status = 404, description = "No such group"),
        (status = 409, description = "`invalid_transition`, or `promotion_criteria_unmet` with every unmet criterion", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:promotion_criteria_unmet", "title": "Conflict", "status": 409,
           "detail": "the group does not meet the criteria for official status", "code": "promotion_criteria_unmet",
           "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
           "errors": [{"field": "organizers", "code": "too_few_organizers", "message": "1 organizer(s); at least 2 needed"},
                      {"field": "events", "code": "too_few_held_events", "message": "2 event(s) held in the last 365 days; at least 3 needed"}]})),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/groups/{id}/status")]
pub async fn change_group_status(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Json<StatusChange>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let reason = reason_of(&body.reason, true)?;
    let txn = state.db.begin().await?;
    let (g, resource) = visible_group(&txn, &caller, &id, true).await?;
    if !can(&caller.actor, Action::Decide, resource) {
        return Err(ApiError::forbidden("only an ambassador of the group's region or staff change its status, never its organizers"));
    }
    let to = match body.status {
        TargetStatus::Official => GroupStatus::Official,
        TargetStatus::Inactive => GroupStatus::Inactive,
        TargetStatus::Provisional => GroupStatus::Provisional,
    };
    let from = status_of(&g)?;
    if !from.can_become(to) || (from == GroupStatus::Pending) {
        return Err(transition_error(from, to));
    }
    if to == GroupStatus::Official {
        let health = groups::with_health(&txn, g.id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let unmet = group::unmet_promotion_criteria(PromotionFacts {
            organizers: health.organizers,
            held_last_365_days: health.held_last_365_days,
            coc_accepted: g.coc_accepted,
        });
        if !unmet.is_empty() {
            return Err(ApiError::Conflict {
                code: "promotion_criteria_unmet",
                detail: "the group does not meet the criteria for official status".into(),
                errors: unmet,
            });
        }
    }
    groups::set_status(&txn, g.id, to.as_str(), reason.as_deref()).await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "group.status_changed",
            "group",
            g.id,
            json!({"from": from.as_str(), "to": to.as_str(), "reason": reason}),
        ),
    )
    .await?;
    let updated = groups::find(&txn, &g.id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    reply::resource(&GroupView::from(updated))
}

/// An organizer of a group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "role": "lead", "added_at": "2026-11-23T10:00:00Z"}))]
pub struct OrganizerView {
    pub member_id: Uuid,
    pub display_name: String,
    /// `lead` or `co`.
    pub role: String,
    pub added_at: DateTime<Utc>,
}

impl From<&groups::Organizer> for OrganizerView {
    fn from(o: &groups::Organizer) -> Self {
        Self {
            member_id: o.member_id,
            display_name: o.display_name.clone(),
            role: o.role.clone(),
            added_at: o.added_at,
        }
    }
}

/// The organizers whose profiles `caller` may see: a private profile is
/// shown only to its member and staff, as everywhere else.
fn visible_organizers(caller: &Caller, organizers: Vec<groups::Organizer>) -> Vec<OrganizerView> {
    organizers
        .iter()
        .filter(|o| {
            can(
                &caller.actor,
                Action::Read,
                Resource::Member {
                    id: o.member_id,
                    profile_public: o.profile_public,
                },
            )
        })
        .map(OrganizerView::from)
        .collect()
}

/// A group's organizers: those with a private profile only to themselves and staff.
#[utoipa::path(
    tag = "groups",
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Lead first", body = Vec<OrganizerView>),
        (status = 404, description = "No such group, or not visible")
    )
)]
#[get("/groups/{id}/organizers")]
pub async fn list_organizers(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let organizers =
        visible_organizers(&caller, groups::organizers_of(&state.db, vec![g.id]).await?);
    reply::list(&organizers)
}

/// A co-organizer to add.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12"}))]
pub struct AddOrganizer {
    pub member_id: Uuid,
}

/// Adds a co-organizer (organizers).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = AddOrganizer,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 201, description = "Added; the organizer list", body = Vec<OrganizerView>),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group"),
        (status = 409, description = "Already an organizer (`already_exists`)"),
        (status = 422, description = "No such member (`member_id`)")
    )
)]
#[post("/groups/{id}/organizers")]
pub async fn add_organizer(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: Json<AddOrganizer>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let (g, resource) = visible_group(txn, &caller, &id, true).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers add organizers",
        ));
    }
    if members::find(txn, body.member_id).await?.is_none() {
        return Err(ApiError::invalid_field(
            "member_id",
            "unknown_member",
            "no such member",
        ));
    }
    groups::add_organizer(txn, g.id, body.member_id)
        .await
        .on_constraint("group_organizers_pkey", || {
            ApiError::conflict("already_exists", "already an organizer of this group")
        })?;
    cmd.audit(AuditEvent::new(
        "group.organizer_added",
        "group",
        g.id,
        json!({"member_id": body.member_id}),
    ))
    .await?;
    let organizers = visible_organizers(&caller, groups::organizers_of(txn, vec![g.id]).await?);
    cmd.finish(Reply::created(
        &organizers,
        format!("/v1/groups/{}/organizers", g.id),
    )?)
    .await
}

/// Removes an organizer (organizers; anyone may leave). The last organizer cannot leave.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Group id or slug"), ("member_id" = Uuid, Path, description = "Organizer to remove")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group, or the member is not an organizer"),
        (status = 409, description = "The last organizer cannot leave (`last_organizer`)")
    )
)]
#[delete("/groups/{id}/organizers/{member_id}")]
pub async fn remove_organizer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let (id, member_id) = path.into_inner();
    let txn = state.db.begin().await?;
    // The group's row lock serialises removals, so two organizers removing
    // each other as the last two cannot both succeed.
    let (g, resource) = visible_group(&txn, &caller, &id, true).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers remove organizers",
        ));
    }
    if !groups::is_organizer(&txn, g.id, member_id).await? {
        return Err(ApiError::NotFound);
    }
    if groups::organizer_count(&txn, g.id).await? <= 1 {
        return Err(ApiError::conflict(
            "last_organizer",
            "the last organizer cannot leave; add another first",
        ));
    }
    groups::remove_organizer(&txn, g.id, member_id).await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "group.organizer_removed",
            "group",
            g.id,
            json!({"member_id": member_id}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A group's health.
#[utoipa::path(
    tag = "groups",
    params(("id" = String, Path, description = "Group id or slug")),
    responses(
        (status = 200, description = "Figures and flags from the group's data", body = HealthView),
        (status = 404, description = "No such group, or not visible")
    )
)]
#[get("/groups/{id}/health")]
pub async fn group_health(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let health = groups::with_health(&state.db, g.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::list(&health_of(&health))
}

/// The active groups of a region that carry a health flag (its ambassadors and staff).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "Region slug")),
    responses(
        (status = 200, description = "Flagged groups with their health", body = Vec<GroupListItem>),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an ambassador of the region or staff"),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}/groups/attention")]
pub async fn attention_list(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let region = regions::find_by_slug(&state.db, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !(me.is_staff() || me.is_ambassador_of(region.id)) {
        return Err(ApiError::forbidden(
            "only the region's ambassadors and staff read its attention list",
        ));
    }
    let flagged: Vec<GroupListItem> = groups::active_in_region(&state.db, region.id)
        .await?
        .into_iter()
        .map(list_item)
        .filter(|g| !g.health.flags.is_empty())
        .collect();
    reply::list(&flagged)
}

/// The directory for one country.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// ISO 3166-1 alpha-2 (required).
    pub country: String,
}

/// A region in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryRegion {
    pub slug: String,
    pub name: String,
}

/// An ambassador in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryAmbassador {
    pub member_id: Uuid,
    pub display_name: String,
    pub term_end: chrono::NaiveDate,
}

/// A group in the directory, with its organizers' public profiles.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryGroup {
    #[serde(flatten)]
    pub group: GroupView,
    /// Organizers with public profiles (others are counted, not named).
    pub organizers: Vec<OrganizerView>,
    /// Organizers whose profiles are private.
    pub private_organizers: usize,
}

/// Everything about one country: its region, the region's ambassadors, its groups.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "country": "FR", "region": {"slug": "europe", "name": "Europe"},
    "ambassadors": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "term_end": "2027-12-01"}],
    "groups": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators", "name": "Lyon Operators", "country": "FR", "city": "Lyon",
      "region": "europe", "description": "", "links": [], "coc_accepted": true, "status": "official", "status_reason": null,
      "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z",
      "organizers": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "role": "lead", "added_at": "2026-11-23T10:00:00Z"}],
      "private_organizers": 0}]
}))]
pub struct DirectoryView {
    pub country: String,
    pub region: Option<DirectoryRegion>,
    pub ambassadors: Vec<DirectoryAmbassador>,
    pub groups: Vec<DirectoryGroup>,
}

/// The public directory of a country.
#[utoipa::path(
    tag = "groups",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "The country's region, ambassadors and public groups", body = DirectoryView),
        (status = 400, description = "Missing or unknown `country`")
    )
)]
#[get("/directory")]
pub async fn directory(
    state: web::Data<AppState>,
    query: web::Query<DirectoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let country = CountryCode::parse("country", &query.country)
        .map_err(|_| ApiError::bad_param("country", "not an ISO 3166-1 alpha-2 code"))?;
    let region = regions::find_by_country(&state.db, country.as_str()).await?;
    let ambassadors = match &region {
        Some(r) => ambassadorships::list(
            &state.db,
            &ambassadorships::AmbassadorFilter {
                region: Some(r.slug.clone()),
                status: Some("active".into()),
                serving_on: Some(Utc::now().date_naive()),
            },
            None,
            200,
        )
        .await?
        .into_iter()
        .map(|a| DirectoryAmbassador {
            member_id: a.member_id,
            display_name: a.display_name,
            term_end: a.term_end,
        })
        .collect(),
        None => vec![],
    };
    // The public directory shows public groups only, whoever asks.
    let found = groups::list(
        &state.db,
        &Viewer::default(),
        &GroupFilter {
            country: Some(country.as_str().to_owned()),
            ..Default::default()
        },
        None,
        None,
    )
    .await?;
    let organizers = groups::organizers_of(&state.db, found.iter().map(|g| g.id).collect()).await?;
    let groups = found
        .into_iter()
        .map(|g| {
            let mine: Vec<_> = organizers.iter().filter(|o| o.group_id == g.id).collect();
            let private_organizers = mine.iter().filter(|o| !o.profile_public).count();
            DirectoryGroup {
                organizers: mine
                    .into_iter()
                    .filter(|o| o.profile_public)
                    .map(OrganizerView::from)
                    .collect(),
                private_organizers,
                group: list_item(g).group,
            }
        })
        .collect();
    reply::list(&DirectoryView {
        country: country.as_str().to_owned(),
        region: region.map(|r| DirectoryRegion {
            slug: r.slug,
            name: r.name,
        }),
        ambassadors,
        groups,
    })
}

/// Filters of the volunteer search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolunteerQuery {
    /// e.g. `translation`, `mentoring`, `speaking`, `operations`.
    pub skill: Option<String>,
    /// BCP 47 tag; `pt` also finds `pt-BR`.
    pub language: Option<String>,
    /// Region slug.
    pub region: Option<String>,
}

/// A volunteer's public profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerView {
    pub id: Uuid,
    pub display_name: String,
    pub country: Option<String>,
    pub city: Option<String>,
    pub affiliation: Option<String>,
    pub bio: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
}

/// People who volunteer a skill or speak a language (members only; public profiles only).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(VolunteerQuery, PageParams),
    responses(
        (status = 200, description = "One page of public profiles", body = Page<VolunteerView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/members")]
pub async fn search_members(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<VolunteerQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let limit = page.limit()?;
    let rows = members::search(
        &state.db,
        query.skill.clone().map(|s| s.trim().to_lowercase()),
        query.language.clone(),
        query.region.clone(),
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |m| m.id,
        |m| VolunteerView {
            id: m.id,
            display_name: m.display_name,
            country: m.country,
            city: m.city,
            affiliation: m.affiliation,
            bio: m.bio,
            languages: m.languages,
            skills: m.skills,
        },
    ))
}
