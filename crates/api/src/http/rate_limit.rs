//! Rate limiting on `/v1/auth/*`: a fixed window per client address, counted
//! in PostgreSQL so every server process shares the same budget.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};

use liaison_persistence::rate_limits;

use crate::error::ApiError;
use crate::state::AppState;

fn client_address(req: &ServiceRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        if let Some(first) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_owned();
        }
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Middleware for the auth scope.
pub async fn limit_auth(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let limit = state.settings.auth_rate_limit;
    let window = state.settings.rate_limit_window_secs.max(1);
    let bucket = format!(
        "auth:{}",
        client_address(&req, state.settings.trust_forwarded_for)
    );
    let counted = match rate_limits::hit(&state.db, &bucket, window as i64).await {
        Ok(counted) => Some(counted),
        Err(err) => {
            // Fail open: the request itself will meet the database and answer 503.
            tracing::warn!(error = %err, "rate limit unavailable");
            None
        }
    };
    if let Some(w) = counted {
        if w.hits as u32 > limit {
            let response = ApiError::RateLimited {
                limit,
                reset_in: w.reset_in.max(1) as u32,
            }
            .error_response();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    let mut response = next.call(req).await?.map_into_left_body();
    if let Some(w) = counted {
        let headers = response.headers_mut();
        for (name, value) in [
            ("ratelimit-limit", limit.to_string()),
            (
                "ratelimit-remaining",
                limit.saturating_sub(w.hits as u32).to_string(),
            ),
            ("ratelimit-reset", w.reset_in.max(1).to_string()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
    }
    Ok(response)
}
