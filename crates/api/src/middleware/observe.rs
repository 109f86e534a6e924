//! The outermost middleware: `X-Request-Id` on every response (echoed when
//! the client sent a sane one), one structured log line per request, and the
//! request metrics.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};

use crate::request_id::{self, RequestId, HEADER};
use crate::state::AppState;

/// The outermost middleware: request id, access log, metrics.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(request_id::accept_client_id)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let started = Instant::now();
    let outcome = request_id::scope(id.clone(), next.call(req)).await;
    // Handlers and extractors turn their errors into responses; an `Err`
    // here comes from a middleware, and actix renders it after we return.
    // (Cloning the request to render it ourselves would break routing, which
    // needs the request uniquely owned.)
    let mut response = match outcome {
        Ok(response) => response.map_into_boxed_body(),
        Err(err) => {
            tracing::warn!(request_id = %id, error = %err, "middleware error");
            return Err(err);
        }
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(HEADER), value);
    }
    let elapsed = started.elapsed();
    let request = response.request();
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let status = response.status().as_u16();
    if let Some(state) = state {
        state
            .metrics
            .observe(request.method().as_str(), &route, status, elapsed);
    }
    tracing::info!(
        request_id = %id,
        method = %request.method(),
        path = %request.path(),
        route = %route,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    Ok(response)
}
