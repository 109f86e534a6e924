use actix_web::{post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use liaison_domain::ambassador::{check_cycle, Weights};
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::FieldError;
use liaison_persistence::cycles::{self, CycleFields};

use super::json::{load_view, CreateCycle, CycleRegionInput, CycleView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::http::validate;
use crate::state::AppState;

/// Resolves region slugs to (id, seats), naming unknown or repeated regions.
pub(crate) async fn resolve_regions(
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
