//! One application: read, edit a draft, submit, withdraw, review, decide.
//! The applicant sees the mean of each criterion, never who reviewed; staff
//! see every review; a reviewer sees their own.

use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Months, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::ambassador::{
    self, affiliation_key, conflict_of_interest, parse_answer, parse_links, ApplicationEvent,
    ApplicationStatus, Conflict, Means, Scores,
};
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::ambassadorships::{self, NewAmbassadorship};
use liaison_persistence::applications::{self, Application, Review};
use liaison_persistence::{audit, cycles, members};

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::http::{etag, reply};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_application)
        .service(edit_application)
        .service(submit_application)
        .service(withdraw_application)
        .service(review_application)
        .service(decide_application)
        .service(my_applications);
}

/// Mean of each criterion over an application's reviews.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct MeansView {
    pub track_record: f64,
    pub geography: f64,
    pub impact: f64,
}

impl From<Means> for MeansView {
    fn from(m: Means) -> Self {
        Self {
            track_record: m.track_record,
            geography: m.geography,
            impact: m.impact,
        }
    }
}

/// One reviewer's scores, 0–5 each.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct ScoresView {
    pub track_record: i16,
    pub geography: i16,
    pub impact: i16,
}

/// The means of an application's reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreSummary {
    /// Number of reviews.
    pub reviews: i64,
    /// Mean per criterion; null without reviews.
    pub means: Option<MeansView>,
}

/// A review (shown to staff, and to its own reviewer).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"reviewer_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "scores": {"track_record": 4, "geography": 3, "impact": 5}, "comment": "Strong local record.", "updated_at": "2026-12-10T09:00:00Z"}))]
pub struct ReviewView {
    pub reviewer_id: Uuid,
    pub scores: ScoresView,
    pub comment: String,
    pub updated_at: DateTime<Utc>,
}

impl From<Review> for ReviewView {
    fn from(r: Review) -> Self {
        Self {
            reviewer_id: r.reviewer_id,
            scores: ScoresView {
                track_record: r.track_record,
                geography: r.geography,
                impact: r.impact,
            },
            comment: r.comment,
            updated_at: r.updated_at,
        }
    }
}

/// An application.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e21", "cycle_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20",
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "region": "europe", "status": "submitted",
    "why_apply": "I have run the Lyon operators meetup for three years and want to help other cities start theirs.",
    "participation": "Monthly meetups of 60–100 operators, two talks at the summit, French translation of the install guide.",
    "ideas": "A travelling workshop kit for first-time organisers, and a shared calendar of European meetups.",
    "links": ["https://example.org/lyon-operators"], "affiliation": "independent",
    "submitted_at": "2026-12-02T09:00:00Z", "decided_at": null, "decision_reason": null,
    "scores": {"reviews": 2, "means": {"track_record": 4.5, "geography": 3.0, "impact": 4.0}},
    "created_at": "2026-12-01T09:00:00Z", "updated_at": "2026-12-02T09:00:00Z"
}))]
pub struct ApplicationView {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub member_id: Uuid,
    /// Region slug.
    pub region: String,
    /// `draft`, `submitted`, `selected`, `declined` or `withdrawn`.
    pub status: String,
    pub why_apply: String,
    pub participation: String,
    pub ideas: String,
    pub links: Vec<String>,
    /// The applicant's affiliation (as submitted).
    pub affiliation: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Staff's reason for the decision.
    pub decision_reason: Option<String>,
    /// Review means (never who reviewed).
    pub scores: ScoreSummary,
    /// Every review: staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<Vec<ReviewView>>,
    /// The caller's own review, when they reviewed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_review: Option<ReviewView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn base_view(a: Application, scores: ScoreSummary) -> ApplicationView {
    ApplicationView {
        id: a.id,
        cycle_id: a.cycle_id,
        member_id: a.member_id,
        region: a.region_slug,
        status: a.status,
        why_apply: a.why_apply,
        participation: a.participation,
        ideas: a.ideas,
        links: a.links,
        affiliation: a.affiliation,
        submitted_at: a.submitted_at,
        decided_at: a.decided_at,
        decision_reason: a.decision_reason,
        scores,
        reviews: None,
        my_review: None,
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

fn summary(reviews: i64, tr: Option<f64>, geo: Option<f64>, imp: Option<f64>) -> ScoreSummary {
    let means = match (tr, geo, imp) {
        (Some(track_record), Some(geography), Some(impact)) if reviews > 0 => Some(MeansView {
            track_record,
            geography,
            impact,
        }),
        _ => None,
    };
    ScoreSummary { reviews, means }
}

/// One application as the caller may see it.
pub async fn render_application(
    db: &impl ConnectionTrait,
    caller: &Caller,
    a: Application,
) -> Result<ApplicationView, ApiError> {
    let m = applications::means_of(db, a.id).await?;
    let me = caller.actor.member();
    let staff = me.is_some_and(|m| m.is_staff());
    let reviews = if staff || me.is_some_and(|m| !m.ambassador_of.is_empty()) {
        applications::reviews_of(db, a.id).await?
    } else {
        vec![]
    };
    let mut view = base_view(a, summary(m.reviews, m.track_record, m.geography, m.impact));
    let my_id = me.map(|m| m.id);
    view.my_review = reviews
        .iter()
        .find(|r| Some(r.reviewer_id) == my_id)
        .cloned()
        .map(ReviewView::from);
    if staff {
        view.reviews = Some(reviews.into_iter().map(ReviewView::from).collect());
    }
    Ok(view)
}

/// A page of applications with their means, in one query for the page.
pub async fn render_applications(
    db: &impl ConnectionTrait,
    list: Vec<Application>,
) -> Result<Vec<ApplicationView>, ApiError> {
    let means = applications::means_for(db, list.iter().map(|a| a.id).collect()).await?;
    Ok(list
        .into_iter()
        .map(|a| {
            let m = means.iter().find(|m| m.application_id == a.id);
            let s = m
                .map(|m| summary(m.reviews, m.track_record, m.geography, m.impact))
                .unwrap_or(ScoreSummary {
                    reviews: 0,
                    means: None,
                });
            base_view(a, s)
        })
        .collect())
}

/// Loads an application the caller may see (else 404).
async fn visible(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    lock: bool,
) -> Result<Application, ApiError> {
    let a = applications::find(db, id, lock)
        .await?
        .ok_or(ApiError::NotFound)?;
    // A draft is the applicant's work in progress: reviewers who are not
    // staff do not see it until it is submitted.
    let hidden_draft = a.status == "draft"
        && caller
            .actor
            .member()
            .is_some_and(|m| m.id != a.member_id && !m.is_staff());
    let readable = can(
        &caller.actor,
        Action::Read,
        Resource::Application {
            applicant: a.member_id,
        },
    );
    if readable && !hidden_draft {
        Ok(a)
    } else {
        Err(ApiError::NotFound)
    }
}

fn status_of(a: &Application) -> Result<ApplicationStatus, ApiError> {
    ApplicationStatus::parse(&a.status)
        .ok_or_else(|| ApiError::Internal(format!("unknown status {}", a.status)))
}

fn transition(a: &Application, event: ApplicationEvent) -> Result<ApplicationStatus, ApiError> {
    status_of(a)?.apply(event).map_err(|e| {
        ApiError::conflict(
            "invalid_transition",
            format!(
                "cannot {} an application that is {}",
                format!("{:?}", e.event).to_lowercase(),
                e.from.as_str()
            ),
        )
    })
}

/// One application (applicant, reviewers, staff).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application, with an ETag", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such application, or not visible to you")
    )
)]
#[get("/applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let a = visible(&state.db, &caller, *id, false).await?;
    reply::resource(&render_application(&state.db, &caller, a).await?)
}

/// Changes to a draft; absent fields stay.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"ideas": "A travelling workshop kit for first-time organisers, a shared calendar, and a mentoring rota."}))]
pub struct ApplicationPatch {
    pub why_apply: Option<String>,
    pub participation: Option<String>,
    pub ideas: Option<String>,
    pub links: Option<Vec<String>>,
}

/// Edits a draft (applicant). Honours `If-Match`.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = ApplicationPatch,
    params(("id" = Uuid, Path, description = "Application id"), ("If-Match" = Option<String>, Header, description = "ETag as last read")),
    responses(
        (status = 200, description = "The edited draft", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the applicant"),
        (status = 404, description = "No such application"),
        (status = 409, description = "No longer a draft (`invalid_transition`)"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/applications/{id}")]
pub async fn edit_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ApplicationPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let mut errors = Errors::new();
    let why = body
        .why_apply
        .as_deref()
        .and_then(|t| errors.take(parse_answer("why_apply", t)));
    let participation = body
        .participation
        .as_deref()
        .and_then(|t| errors.take(parse_answer("participation", t)));
    let ideas = body
        .ideas
        .as_deref()
        .and_then(|t| errors.take(parse_answer("ideas", t)));
    let links = body
        .links
        .as_deref()
        .and_then(|l| errors.take(parse_links(l)));
    errors.finish()?;
    let txn = state.db.begin().await?;
    let a = visible(&txn, &caller, *id, true).await?;
    if !can(
        &caller.actor,
        Action::Update,
        Resource::Application {
            applicant: a.member_id,
        },
    ) {
        return Err(ApiError::forbidden(
            "only the applicant edits an application",
        ));
    }
    etag::check_if_match(
        &req,
        &etag::of_value(&render_application(&txn, &caller, a.clone()).await?)?,
    )?;
    transition(&a, ApplicationEvent::Edit)?;
    applications::update_answers(
        &txn,
        a.id,
        why.as_deref().unwrap_or(&a.why_apply),
        participation.as_deref().unwrap_or(&a.participation),
        ideas.as_deref().unwrap_or(&a.ideas),
        links.as_deref().unwrap_or(&a.links),
    )
    .await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new("application.edited", "application", a.id, json!({})),
    )
    .await?;
    let updated = applications::find(&txn, a.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render_application(&txn, &caller, updated).await?;
    txn.commit().await?;
    reply::resource(&view)
}

async fn applicant_transition(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    event: ApplicationEvent,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let txn = state.db.begin().await?;
    let a = visible(&txn, caller, id, true).await?;
    if !can(
        &caller.actor,
        Action::Update,
        Resource::Application {
            applicant: a.member_id,
        },
    ) {
        return Err(ApiError::forbidden(
            "only the applicant submits or withdraws an application",
        ));
    }
    let next = transition(&a, event)?;
    let action = match event {
        ApplicationEvent::Submit => {
            let cycle = cycles::find(&txn, a.cycle_id, false)
                .await?
                .ok_or(ApiError::NotFound)?;
            if !ambassador::is_open(cycle.opens_at, cycle.closes_at, Utc::now()) {
                return Err(ApiError::conflict(
                    "cycle_closed",
                    "the cycle is not taking applications now",
                ));
            }
            let member = members::find(&txn, a.member_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            applications::submit(&txn, a.id, member.affiliation).await?;
            "application.submitted"
        }
        _ => {
            applications::set_status(&txn, a.id, next.as_str()).await?;
            "application.withdrawn"
        }
    };
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            action,
            "application",
            a.id,
            json!({"from": a.status, "to": next.as_str()}),
        ),
    )
    .await?;
    let updated = applications::find(&txn, a.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render_application(&txn, caller, updated).await?;
    txn.commit().await?;
    reply::resource(&view)
}

/// Submits a draft while the cycle is open (applicant).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Submitted", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the applicant"),
        (status = 404, description = "No such application"),
        (status = 409, description = "Not a draft (`invalid_transition`) or the cycle is closed (`cycle_closed`)")
    )
)]
#[post("/applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    applicant_transition(&state, &caller, *id, ApplicationEvent::Submit).await
}

/// Withdraws a draft or submitted application (applicant).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Withdrawn", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the applicant"),
        (status = 404, description = "No such application"),
        (status = 409, description = "Already decided or withdrawn (`invalid_transition`)")
    )
)]
#[post("/applications/{id}/withdraw")]
pub async fn withdraw_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    applicant_transition(&state, &caller, *id, ApplicationEvent::Withdraw).await
}

/// Scores 0–5 per criterion.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ScoresInput {
    pub track_record: i64,
    pub geography: i64,
    pub impact: i64,
}

/// A reviewer's review.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"scores": {"track_record": 4, "geography": 3, "impact": 5}, "comment": "Strong local record; ideas are concrete."}))]
pub struct ReviewRequest {
    pub scores: ScoresInput,
    /// Up to 5000 characters.
    #[serde(default)]
    pub comment: String,
}

/// Stores the caller's review (staff, active ambassadors); re-sent, it replaces the earlier one.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = ReviewRequest,
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 201, description = "First review by this reviewer", body = ReviewView),
        (status = 200, description = "The reviewer's earlier review, replaced", body = ReviewView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not a reviewer (`forbidden`), or own application / same affiliation (`conflict_of_interest`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:conflict_of_interest", "title": "Forbidden", "status": 403, "detail": "you share the applicant's affiliation", "code": "conflict_of_interest", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 404, description = "No such application"),
        (status = 409, description = "Not submitted (`invalid_transition`)"),
        (status = 422, description = "Scores outside 0–5")
    )
)]
#[put("/applications/{id}/review")]
pub async fn review_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let mut errors = Errors::new();
    let scores = errors.take(Scores::parse(
        body.scores.track_record,
        body.scores.geography,
        body.scores.impact,
    ));
    if body.comment.chars().count() > 5000 {
        errors.push(liaison_domain::FieldError::new(
            "comment",
            "length",
            "at most 5000 characters",
        ));
    }
    errors.finish()?;
    let Some(scores) = scores else {
        return Err(ApiError::Internal("validated scores lost".into()));
    };
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let a = visible(txn, &caller, *id, true).await?;
    if !can(
        &caller.actor,
        Action::Review,
        Resource::Application {
            applicant: a.member_id,
        },
    ) {
        return Err(ApiError::forbidden(
            "only staff and active ambassadors review applications",
        ));
    }
    let reviewer = members::find(txn, me.id).await?.ok_or(ApiError::NotFound)?;
    let applicant_affiliation = match a.affiliation.clone() {
        Some(aff) => Some(aff),
        None => members::find(txn, a.member_id)
            .await?
            .and_then(|m| m.affiliation),
    };
    if let Some(conflict) = conflict_of_interest(
        me.id,
        reviewer.affiliation.as_deref(),
        a.member_id,
        applicant_affiliation.as_deref(),
    ) {
        return Err(ApiError::Forbidden {
            code: "conflict_of_interest",
            detail: match conflict {
                Conflict::OwnApplication => "you cannot review your own application".into(),
                Conflict::SameAffiliation => "you share the applicant's affiliation".into(),
            },
        });
    }
    transition(&a, ApplicationEvent::Review)?;
    let (review, inserted) = applications::upsert_review(
        txn,
        a.id,
        me.id,
        (scores.track_record, scores.geography, scores.impact),
        body.comment.trim(),
    )
    .await?;
    cmd.audit(AuditEvent::new(
        if inserted {
            "application.reviewed"
        } else {
            "application.review_replaced"
        },
        "application",
        a.id,
        json!({"scores": scores}),
    ))
    .await?;
    let status = if inserted {
        actix_web::http::StatusCode::CREATED
    } else {
        actix_web::http::StatusCode::OK
    };
    cmd.finish(Reply::with_status(status, &ReviewView::from(review), None)?)
        .await
}

/// Staff's decision.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"outcome": "selected", "reason": "Rank 1 in Europe; strong record running the Lyon meetup."}))]
pub struct DecisionRequest {
    /// `selected` or `declined`.
    pub outcome: Outcome,
    /// Required, 1–2000 characters; shown to the applicant.
    pub reason: String,
}

/// A decision's outcome.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Selected,
    Declined,
}

/// Decides an application (staff). Selecting beyond the region's seats, or
/// beyond the cycle's affiliation cap, answers 409. Selection creates an
/// active ambassadorship from today for the cycle's `term_months`.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = DecisionRequest,
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Decided", body = ApplicationView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such application"),
        (status = 409, description = "`seats_full`, `affiliation_cap_reached`, or not submitted (`invalid_transition`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:seats_full", "title": "Conflict", "status": 409, "detail": "all 3 seats of europe are filled", "code": "seats_full", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 422, description = "Missing reason")
    )
)]
#[post("/applications/{id}/decision")]
pub async fn decide_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let reason = body.reason.trim().to_owned();
    if !(1..=2000).contains(&reason.chars().count()) {
        return Err(ApiError::invalid_field(
            "reason",
            "length",
            "a reason of 1–2000 characters is required",
        ));
    }
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let peek = visible(txn, &caller, *id, false).await?;
    if !can(
        &caller.actor,
        Action::Decide,
        Resource::Application {
            applicant: peek.member_id,
        },
    ) {
        return Err(ApiError::forbidden("only staff decide applications"));
    }
    // One lock per cycle, taken before counting seats: concurrent decisions
    // in a cycle serialise, so the last seat goes to exactly one of them.
    let cycle = cycles::find(txn, peek.cycle_id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let a = applications::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let event = match body.outcome {
        Outcome::Selected => ApplicationEvent::Select,
        Outcome::Declined => ApplicationEvent::Decline,
    };
    let next = transition(&a, event)?;
    let mut summary = json!({"outcome": next.as_str(), "reason": reason});
    if body.outcome == Outcome::Selected {
        let regions = cycles::regions_of(txn, vec![cycle.id]).await?;
        let seats = regions
            .iter()
            .find(|r| r.region_id == a.region_id)
            .map(|r| r.seats)
            .unwrap_or(0);
        let key = affiliation_key(a.affiliation.as_deref());
        let (in_region, with_affiliation) =
            applications::selected_counts(txn, cycle.id, a.region_id, key.clone()).await?;
        if in_region >= seats as i64 {
            return Err(ApiError::conflict(
                "seats_full",
                format!("all {seats} seats of {} are filled", a.region_slug),
            ));
        }
        if let (Some(cap), Some(key)) = (cycle.max_per_affiliation, key) {
            if with_affiliation >= cap as i64 {
                return Err(ApiError::conflict(
                    "affiliation_cap_reached",
                    format!("{cap} ambassadors affiliated with {key} are already selected in this cycle"),
                ));
            }
        }
        let start = Utc::now().date_naive();
        let end = start
            .checked_add_months(Months::new(cycle.term_months as u32))
            .ok_or_else(|| ApiError::Internal("term end overflow".into()))?;
        let ambassadorship = ambassadorships::insert(
            txn,
            NewAmbassadorship {
                member_id: a.member_id,
                region_id: a.region_id,
                cycle_id: cycle.id,
                application_id: a.id,
                term_start: start,
                term_end: end,
            },
        )
        .await?;
        summary["ambassadorship_id"] = json!(ambassadorship);
        cmd.audit(AuditEvent::new("ambassadorship.created", "ambassadorship", ambassadorship, json!({"member_id": a.member_id, "region": a.region_slug, "term_start": start, "term_end": end}))).await?;
    }
    applications::decide(txn, a.id, next.as_str(), &reason, me.id).await?;
    cmd.audit(AuditEvent::new(
        "application.decided",
        "application",
        a.id,
        summary,
    ))
    .await?;
    let updated = applications::find(txn, a.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render_application(txn, &caller, updated).await?;
    cmd.finish(Reply::ok(&view)?).await
}

/// The caller's own applications, newest first.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ApplicationView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me/applications")]
pub async fn my_applications(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let limit = page.limit()?;
    let rows =
        applications::list_for_member(&state.db, me.id, page.cursor::<Uuid>()?, limit + 1).await?;
    let page = Page::from_rows(rows, limit, |a| a.id, |a| a);
    let items = render_applications(&state.db, page.items).await?;
    reply::list(&Page {
        items,
        next_cursor: page.next_cursor,
    })
}
