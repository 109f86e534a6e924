use actix_web::{patch, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use liaison_domain::ambassador::{check_cycle, Weights};
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::FieldError;
use liaison_persistence::cycles::{self, CycleFields};

use super::create::resolve_regions;
use super::json::{load_view, CyclePatch, CycleView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

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
