//! Entity tags from the representation itself: a hash of the JSON body. A
//! `PATCH` computes the tag of the current representation under a row lock
//! and compares it with `If-Match`, so a stale writer gets 412. A `GET`
//! whose `If-None-Match` names the tag of its answer gets 304 and no body,
//! for every response that carries an `ETag`, so a site can poll cheaply.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The strong `ETag` of a body.
pub fn of(body: &[u8]) -> String {
    let hash = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&hash[..12]))
}

/// The `ETag` of a value's JSON representation.
pub fn of_value(value: &impl serde::Serialize) -> Result<String, ApiError> {
    serde_json::to_vec(value)
        .map(|body| of(&body))
        .map_err(|e| ApiError::Internal(format!("serialize: {e}")))
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as
/// RFC 9110 asks of `If-None-Match`).
fn none_match_names(if_none_match: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    if_none_match
        .split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

/// Middleware: a `GET` or `HEAD` answered 200 with an `ETag` that the
/// request's `If-None-Match` names becomes 304 Not Modified, without a body.
pub async fn not_modified(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let condition = matches!(*req.method(), Method::GET | Method::HEAD)
        .then(|| {
            req.headers()
                .get(header::IF_NONE_MATCH)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .flatten();
    let response = next.call(req).await?;
    let unchanged = condition.is_some_and(|condition| {
        response.status() == StatusCode::OK
            && response
                .headers()
                .get(header::ETAG)
                .and_then(|t| t.to_str().ok())
                .is_some_and(|etag| none_match_names(&condition, etag))
    });
    if !unchanged {
        return Ok(response.map_into_left_body());
    }
    let mut not_modified = HttpResponse::NotModified();
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
        if let Some(value) = response.headers().get(&name) {
            not_modified.insert_header((name, value.clone()));
        }
    }
    let not_modified = not_modified.finish();
    Ok(response.into_response(not_modified).map_into_right_body())
}

/// 412 when `If-Match` is present and names neither `*` nor `current`.
pub fn check_if_match(req: &HttpRequest, current: &str) -> Result<(), ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(());
    };
    let text = value.to_str().map_err(|_| ApiError::PreconditionFailed)?;
    let matches = text
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current || tag.strip_prefix("W/") == Some(current));
    if matches {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn if_match_accepts_the_current_tag_or_a_star() {
        let tag = of(b"{}");
        assert!(check_if_match(&TestRequest::default().to_http_request(), &tag).is_ok());
        let req = TestRequest::default()
            .insert_header((header::IF_MATCH, tag.clone()))
            .to_http_request();
        assert!(check_if_match(&req, &tag).is_ok());
        let req = TestRequest::default()
            .insert_header((header::IF_MATCH, "*"))
            .to_http_request();
        assert!(check_if_match(&req, &tag).is_ok());
        let req = TestRequest::default()
            .insert_header((header::IF_MATCH, "\"stale\""))
            .to_http_request();
        assert!(matches!(
            check_if_match(&req, &tag),
            Err(ApiError::PreconditionFailed)
        ));
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_any() {
        assert!(none_match_names("\"abc\"", "\"abc\""));
        assert!(none_match_names("W/\"abc\"", "\"abc\""));
        assert!(none_match_names("\"x\", \"abc\"", "\"abc\""));
        assert!(none_match_names("*", "\"abc\""));
        assert!(!none_match_names("\"abd\"", "\"abc\""));
    }
}
