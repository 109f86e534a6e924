//! Liveness, readiness and metrics, outside `/v1`.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::metrics::{PoolReading, ProcessReading, Snapshot};
use crate::state::AppState;

/// Health status.
#[derive(Serialize, ToSchema)]
pub struct Status {
    /// `ok` or `ready`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is alive.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = Status)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok" })
}

/// The database is reachable.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Status, example = json!({"status": "ready"})),
        (status = 503, description = "The database cannot be reached")
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    liaison_persistence::database::ping(&state.db)
        .await
        .map_err(|_| ApiError::Unavailable)?;
    Ok(HttpResponse::Ok().json(Status { status: "ready" }))
}

/// Prometheus metrics: request counts and latency histograms by route and
/// status; process memory, threads and open connections; the database pool;
/// and each gate's places in use, waiters and refusals.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "OpenMetrics text exposition", content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8", body = String))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.db.get_postgres_connection_pool();
    let open = i64::from(pool.size());
    let idle = pool.num_idle() as i64;
    let mut gates = vec![(
        state.passwords.gate().name(),
        state.passwords.gate().reading(),
    )];
    gates.extend(state.gates.all().map(|g| (g.name(), g.reading())));
    let snapshot = Snapshot {
        process: ProcessReading::now(),
        pool: PoolReading {
            in_use: (open - idle).max(0),
            idle,
            max: i64::from(state.settings.db_max_connections),
        },
        gates,
    };
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.render(&snapshot))
}
