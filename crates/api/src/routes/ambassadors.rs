//! Ambassadorships: the public directory of ambassadors, and staff ending or
//! removing one with a reason.

use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::ambassadorships::{self, AmbassadorFilter, Ambassadorship};
use liaison_persistence::regions;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::http::{etag, reply};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_ambassadors)
        .service(get_ambassador)
        .service(update_ambassador)
        .service(region_ambassadors);
}

/// An ambassadorship.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois",
    "region": "europe", "cycle_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20", "term_start": "2027-01-20", "term_end": "2028-01-20",
    "status": "active", "status_reason": null, "created_at": "2027-01-20T10:00:00Z", "updated_at": "2027-01-20T10:00:00Z"
}))]
pub struct AmbassadorView {
    pub id: Uuid,
    pub member_id: Uuid,
    pub display_name: String,
    /// Region slug.
    pub region: String,
    pub cycle_id: Uuid,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    /// `active`, `ended` or `removed`.
    pub status: String,
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Ambassadorship> for AmbassadorView {
    fn from(s: Ambassadorship) -> Self {
        Self {
            id: s.id,
            member_id: s.member_id,
            display_name: s.display_name,
            region: s.region_slug,
            cycle_id: s.cycle_id,
            term_start: s.term_start,
            term_end: s.term_end,
            status: s.status,
            status_reason: s.status_reason,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// An ambassadorship's status.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AmbassadorStatus {
    Active,
    Ended,
    Removed,
}

impl AmbassadorStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Ended => "ended",
            Self::Removed => "removed",
        }
    }
}

/// Filters of the ambassador list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AmbassadorQuery {
    /// Region slug.
    pub region: Option<String>,
    /// `active`, `ended` or `removed`.
    pub status: Option<AmbassadorStatus>,
}

/// Ambassadors, newest first.
#[utoipa::path(
    tag = "ambassador programme",
    params(AmbassadorQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<AmbassadorView>),
        (status = 400, description = "Unknown status, bad `limit` or `cursor`")
    )
)]
#[get("/ambassadors")]
pub async fn list_ambassadors(
    state: web::Data<AppState>,
    query: web::Query<AmbassadorQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let filter = AmbassadorFilter {
        region: query.region.clone(),
        status: query.status.map(|s| s.as_str().to_owned()),
        serving_on: None,
    };
    let rows = ambassadorships::list(&state.db, &filter, page.cursor::<Uuid>()?, limit + 1).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |s| s.id,
        AmbassadorView::from,
    ))
}

/// One ambassadorship (public, as the list is), with the `ETag` that its
/// `PATCH` takes in `If-Match`.
#[utoipa::path(
    tag = "ambassador programme",
    params(("id" = Uuid, Path, description = "Ambassadorship id")),
    responses(
        (status = 200, description = "The ambassadorship", body = AmbassadorView),
        (status = 304, description = "Not modified: `If-None-Match` names the current `ETag`"),
        (status = 404, description = "No such ambassadorship")
    )
)]
#[get("/ambassadors/{id}")]
pub async fn get_ambassador(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let found = ambassadorships::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&AmbassadorView::from(found))
}

/// The active ambassadors of a region.
#[utoipa::path(
    tag = "regions",
    params(("slug" = String, Path, description = "Region slug"), PageParams),
    responses(
        (status = 200, description = "One page of active ambassadors", body = Page<AmbassadorView>),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}/ambassadors")]
pub async fn region_ambassadors(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    regions::find_by_slug(&state.db, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = page.limit()?;
    let filter = AmbassadorFilter {
        region: Some(slug.into_inner()),
        status: Some("active".into()),
        serving_on: Some(chrono::Utc::now().date_naive()),
    };
    let rows = ambassadorships::list(&state.db, &filter, page.cursor::<Uuid>()?, limit + 1).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |s| s.id,
        AmbassadorView::from,
    ))
}

/// Ending or removing an ambassadorship.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "ended", "reason": "Stepped down to focus on the Lyon meetup."}))]
pub struct AmbassadorPatch {
    /// `ended` or `removed`.
    pub status: AmbassadorStatus,
    /// Required, 1–2000 characters.
    pub reason: String,
}

/// Ends or removes an active ambassadorship (staff).
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = AmbassadorPatch,
    params(("id" = Uuid, Path, description = "Ambassadorship id"), ("If-Match" = Option<String>, Header, description = "The ambassadorship's `ETag`; a stale one is 412")),
    responses(
        (status = 200, description = "Changed", body = AmbassadorView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such ambassadorship"),
        (status = 409, description = "Not active (`invalid_transition`)"),
        (status = 412, description = "`If-Match` names another version (`precondition_failed`)"),
        (status = 422, description = "Missing reason, or status `active`")
    )
)]
#[patch("/ambassadors/{id}")]
pub async fn update_ambassador(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<AmbassadorPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let reason = body.reason.trim().to_owned();
    let mut errors = Vec::new();
    if body.status == AmbassadorStatus::Active {
        errors.push(liaison_domain::FieldError::new(
            "status",
            "invalid",
            "an ambassadorship can be `ended` or `removed`",
        ));
    }
    if !(1..=2000).contains(&reason.chars().count()) {
        errors.push(liaison_domain::FieldError::new(
            "reason",
            "length",
            "a reason of 1–2000 characters is required",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation {
            code: "validation_failed",
            errors,
        });
    }
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = ambassadorships::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !can(
        &caller.actor,
        Action::Decide,
        Resource::Ambassadorship {
            member: current.member_id,
        },
    ) {
        return Err(ApiError::forbidden(
            "only staff end or remove ambassadorships",
        ));
    }
    // Under the row lock, the tag of what a reader sees now.
    etag::check_if_match(
        &req,
        &etag::of_value(&AmbassadorView::from(current.clone()))?,
    )?;
    if current.status != "active" {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the ambassadorship is already {}", current.status),
        ));
    }
    ambassadorships::set_status(txn, current.id, body.status.as_str(), &reason).await?;
    cmd.audit(AuditEvent::new(
        "ambassadorship.status_changed",
        "ambassadorship",
        current.id,
        json!({"to": body.status.as_str(), "reason": reason}),
    ))
    .await?;
    let updated = ambassadorships::find(txn, current.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&AmbassadorView::from(updated))?).await
}
