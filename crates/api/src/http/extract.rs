//! Extractor configuration so that malformed bodies, wrong content types,
//! oversized bodies, bad query values and bad path segments answer a problem
//! document instead of actix's default text.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{web, HttpRequest};

use crate::error::ApiError;

/// Largest JSON body accepted by ordinary endpoints (1 MiB).
pub const JSON_LIMIT: usize = 1 << 20;
/// Largest JSON body accepted by bulk endpoints (10 MiB).
pub const BULK_JSON_LIMIT: usize = 10 << 20;

fn json_error(err: JsonPayloadError, limit: usize) -> actix_web::Error {
    let api = match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge(limit)
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) => {
            let field = e.to_string();
            ApiError::malformed(format!("the body is not the expected JSON: {field}"))
        }
        other => ApiError::malformed(format!("the body could not be read: {other}")),
    };
    api.into()
}

/// JSON bodies up to `limit` bytes with problem errors.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |err, _req: &HttpRequest| json_error(err, limit))
}

/// Query strings with problem errors (400 `malformed_request`).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
        let detail = match err {
            QueryPayloadError::Deserialize(e) => format!("bad query parameter: {e}"),
            other => format!("bad query string: {other}"),
        };
        ApiError::malformed(detail).into()
    })
}

/// Path segments that do not parse (e.g. an id that is not a UUID) find nothing.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, _req| ApiError::NotFound.into())
}

/// Any route that does not exist.
pub async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
