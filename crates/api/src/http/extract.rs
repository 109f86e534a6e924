//! Extractor configuration so that malformed bodies, wrong content types,
//! oversized bodies, bad query values and bad path segments answer a problem
//! document instead of actix's default text.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;

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
        // Bodies are first read as raw JSON (see `screen::Json`), so this is
        // text that is not JSON at all; a wrong field is a 422 later.
        JsonPayloadError::Deserialize(e) => {
            ApiError::malformed(format!("the body is not JSON: {e}"))
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

/// The paths of the OpenAPI document and their methods, so that a request
/// to a path that exists, with a method it does not have, is told which
/// methods it has (405 with `Allow`) rather than that nothing is there.
#[derive(Debug, Default)]
pub struct KnownPaths(Vec<(Vec<Option<String>>, Vec<&'static str>)>);

impl KnownPaths {
    /// Reads every path template and its methods from the document.
    pub fn from_document(doc: &utoipa::openapi::OpenApi) -> Self {
        let paths = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                // `{id}` matches any one segment; other segments match themselves.
                let segments = template
                    .split('/')
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (segments, methods)
            })
            .collect();
        Self(paths)
    }

    /// The methods of every template `path` matches; empty when none does.
    pub fn methods(&self, path: &str) -> Vec<&'static str> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut allow: Vec<&'static str> = Vec::new();
        for (template, methods) in &self.0 {
            let matches = template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| match t {
                    Some(literal) => literal == s,
                    None => !s.is_empty(),
                });
            if matches {
                for m in methods {
                    if !allow.contains(m) {
                        allow.push(m);
                    }
                }
            }
        }
        allow
    }
}

/// Any request no route took: 405 with `Allow` where the path exists with
/// other methods, 404 otherwise.
pub async fn not_found(
    req: HttpRequest,
    known: web::Data<KnownPaths>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let allow = known.methods(req.path());
    if allow.is_empty() {
        return Err(ApiError::NotFound);
    }
    Err(ApiError::MethodNotAllowed {
        method: req.method().as_str().chars().take(32).collect(),
        allow: allow.into_iter().map(str::to_owned).collect(),
    })
}

/// Reads a JSON body of up to 10 MiB (bulk endpoints only).
pub async fn bulk_body(req: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > BULK_JSON_LIMIT) {
        return Err(ApiError::PayloadTooLarge(BULK_JSON_LIMIT));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::malformed(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > BULK_JSON_LIMIT {
            return Err(ApiError::PayloadTooLarge(BULK_JSON_LIMIT));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_path_lists_its_methods_and_an_unknown_one_none() {
        let known = KnownPaths::from_document(&crate::openapi::document());
        assert_eq!(known.methods("/v1/regions"), vec!["GET", "POST"]);
        assert_eq!(known.methods("/v1/regions/europe"), vec!["GET", "PATCH"]);
        assert!(known.methods("/v1/nowhere").is_empty());
        assert!(known.methods("/v1/regions/").is_empty());
    }
}
