//! Regions: staff define them; anyone reads them. A country belongs to at
//! most one region (409 `country_taken` names every clash).

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::region::{parse_countries, parse_name, parse_seats, RegionSpec};
use liaison_persistence::regions::{self, Region, RegionChanges};

use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::http::{csv_export, etag};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_region)
        .service(list_regions)
        .service(get_region)
        .service(update_region);
}

/// A region.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e13", "slug": "europe", "name": "Europe", "countries": ["DE", "FR", "GB"],
    "ambassador_seats": 3, "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct RegionView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// ISO 3166-1 alpha-2 codes, sorted.
    pub countries: Vec<String>,
    /// Seats per ambassador cycle (a cycle's default).
    pub ambassador_seats: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Region> for RegionView {
    fn from(r: Region) -> Self {
        Self {
            id: r.id,
            slug: r.slug,
            name: r.name,
            countries: r.countries,
            ambassador_seats: r.ambassador_seats,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A region to create.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"slug": "europe", "name": "Europe", "countries": ["FR", "DE", "GB"], "ambassador_seats": 3}))]
pub struct CreateRegion {
    /// `[a-z0-9-]{2,64}`.
    pub slug: String,
    /// 2–100 characters.
    pub name: String,
    /// ISO 3166-1 alpha-2 codes, none already in another region.
    #[serde(default)]
    pub countries: Vec<String>,
    /// 0–1000.
    pub ambassador_seats: i32,
}

/// Creates a region (staff).
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    request_body = CreateRegion,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = RegionView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 409, description = "Slug taken (`already_exists`) or a country in another region (`country_taken`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:country_taken", "title": "Conflict", "status": 409, "detail": "already in another region: FR", "code": "country_taken", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "errors": [{"field": "countries", "code": "country_taken", "message": "FR already belongs to another region"}]})),
        (status = 422, description = "Invalid fields")
    )
)]
#[post("/regions")]
pub async fn create_region(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateRegion>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        can(&caller.actor, Action::Create, Resource::Region),
        "only staff manage regions",
    )?;
    let spec = RegionSpec::parse(
        &body.slug,
        &body.name,
        &body.countries,
        body.ambassador_seats,
    )?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let countries: Vec<String> = spec
        .countries
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let region = regions::insert(
        txn,
        spec.slug.as_str(),
        &spec.name,
        spec.ambassador_seats,
        &countries,
    )
    .await
    .on_constraint("regions_slug_key", || {
        ApiError::conflict("already_exists", "a region with this slug exists")
    })?;
    cmd.audit(AuditEvent::new(
            "region.created",
            "region",
            region.id,
            json!({"slug": region.slug, "name": region.name, "countries": region.countries, "ambassador_seats": region.ambassador_seats}),
        ),
    )
    .await?;
    let reply = Reply::created(
        &RegionView::from(region.clone()),
        format!("/v1/regions/{}", region.slug),
    )?;
    cmd.finish(reply).await
}

/// A region as a CSV row.
#[derive(Serialize)]
struct RegionCsv {
    id: Uuid,
    slug: String,
    name: String,
    countries: String,
    ambassador_seats: i32,
}

/// Lists regions by slug. `Accept: text/csv` streams every region as CSV.
#[utoipa::path(
    tag = "regions",
    params(PageParams),
    responses(
        (status = 200, description = "One page (JSON), or every row (CSV)", content(
            (Page<RegionView> = "application/json"),
            (String = "text/csv", example = json!("id,slug,name,countries,ambassador_seats\n0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e01,europe,Europe,FR DE,3\n"))
        )),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/regions")]
pub async fn list_regions(
    state: web::Data<AppState>,
    req: HttpRequest,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "regions.csv",
            &["id", "slug", "name", "countries", "ambassador_seats"],
            move |mut sink: csv_export::CsvSink| async move {
                // Regions are few; pages of 200 keep each query bounded all the same.
                let mut after: Option<String> = None;
                loop {
                    let rows = regions::list(&db, after.clone(), 200).await?;
                    let done = rows.len() < 200;
                    after = rows.last().map(|r| r.slug.clone());
                    let mut stream = futures_util::stream::iter(rows);
                    while let Some(r) = stream.next().await {
                        sink.write(&RegionCsv {
                            id: r.id,
                            slug: r.slug,
                            name: r.name,
                            countries: r.countries.join(" "),
                            ambassador_seats: r.ambassador_seats,
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
    let rows = regions::list(&state.db, page.cursor::<String>()?, limit + 1).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |r| r.slug.clone(),
        RegionView::from,
    ))
}

/// One region.
#[utoipa::path(
    tag = "regions",
    params(("slug" = String, Path, description = "Region slug")),
    responses(
        (status = 200, description = "The region, with an ETag", body = RegionView),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}")]
pub async fn get_region(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let region = regions::find_by_slug(&state.db, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&RegionView::from(region))
}

/// Changes to a region; absent fields stay. `countries` replaces the list.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"ambassador_seats": 4, "countries": ["DE", "FR", "GB", "IE"]}))]
pub struct RegionPatch {
    pub name: Option<String>,
    pub countries: Option<Vec<String>>,
    pub ambassador_seats: Option<i32>,
}

/// Changes a region (staff). Honours `If-Match`.
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    request_body = RegionPatch,
    params(
        ("slug" = String, Path, description = "Region slug"),
        ("If-Match" = Option<String>, Header, description = "ETag of the region as last read")
    ),
    responses(
        (status = 200, description = "The changed region", body = RegionView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such region"),
        (status = 409, description = "A country is in another region (`country_taken`)"),
        (status = 412, description = "The region changed since it was read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/regions/{slug}")]
pub async fn update_region(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    slug: web::Path<String>,
    body: Json<RegionPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        can(&caller.actor, Action::Update, Resource::Region),
        "only staff manage regions",
    )?;
    let mut errors = Errors::new();
    let changes = RegionChanges {
        name: body
            .name
            .as_deref()
            .and_then(|n| errors.take(parse_name(n))),
        ambassador_seats: body
            .ambassador_seats
            .and_then(|s| errors.take(parse_seats(s))),
        countries: body
            .countries
            .as_deref()
            .and_then(|c| errors.take(parse_countries(c)))
            .map(|c| c.iter().map(|c| c.as_str().to_owned()).collect()),
    };
    errors.finish()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let region = regions::find_by_slug(txn, &slug, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    etag::check_if_match(&req, &etag::of_value(&RegionView::from(region.clone()))?)?;
    regions::update(txn, region.id, changes).await?;
    let updated = regions::find_by_slug(txn, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.audit(AuditEvent::new(
            "region.updated",
            "region",
            region.id,
            json!({"from": {"name": region.name, "countries": region.countries, "ambassador_seats": region.ambassador_seats},
                   "to": {"name": updated.name, "countries": updated.countries, "ambassador_seats": updated.ambassador_seats}}),
        )).await?;
    cmd.finish(Reply::ok(&RegionView::from(updated))?).await
}
