use actix_web::{patch, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::region::{parse_countries, parse_name, parse_seats};
use liaison_persistence::regions::{self, RegionChanges};

use super::json::{RegionPatch, RegionView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

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
