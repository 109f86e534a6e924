use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::region::RegionSpec;
use liaison_persistence::regions;

use super::json::{CreateRegion, RegionView};
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

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
