//! Entity tags from the representation itself: a hash of the JSON body. A
//! `PATCH` computes the tag of the current representation under a row lock
//! and compares it with `If-Match`, so a stale writer gets 412.

use actix_web::http::header;
use actix_web::HttpRequest;
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
}
