//! Hostile input is refused where it enters, once, before any handler or
//! SQL sees it.
//!
//! PostgreSQL's text types cannot hold the NUL character (SQLSTATE 22021),
//! so a NUL that reached a query answered 500. JSON bodies are read through
//! [`Json`], which names every string holding one (422); path segments with
//! `%00` find nothing (404) and query values with it are a 400. URLs longer
//! than `LIAISON_MAX_URL_BYTES` answer 414.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, FromRequest, HttpRequest, ResponseError};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::Value;

use liaison_domain::FieldError;

use crate::error::ApiError;
use crate::state::AppState;

const NUL_ESCAPE: &str = "\\u0000";

fn nul_error(field: String) -> FieldError {
    FieldError::new(
        field,
        "nul_character",
        "must not contain the NUL character (U+0000)",
    )
}

fn collect_nul(path: &str, value: &Value, out: &mut Vec<FieldError>) {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => out.push(nul_error(path.to_owned())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_nul(&format!("{path}[{i}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let name = child(&key.replace('\0', NUL_ESCAPE));
                if key.contains('\0') {
                    out.push(nul_error(name.clone()));
                }
                collect_nul(&name, item, out);
            }
        }
        _ => {}
    }
}

/// Every field of a JSON text whose string (or key) holds a NUL. The text
/// is only walked when it holds the escape at all, so ordinary bodies cost
/// one substring search.
pub fn nul_fields(json: &str) -> Vec<FieldError> {
    if !json.contains(NUL_ESCAPE) {
        return vec![];
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_str::<Value>(json) {
        collect_nul("", &value, &mut out);
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// Refuses a JSON text holding a NUL anywhere: 422 naming every such field.
pub fn refuse_nul(json: &str) -> Result<(), ApiError> {
    let errors = nul_fields(json);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation {
            code: "validation_failed",
            errors,
        })
    }
}

/// A JSON body, read under the route's `JsonConfig` (size limit, content
/// type, problem errors), screened for NUL characters, then deserialised.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// Deserialises JSON text into `T`; a missing field or a field of the wrong
/// type is a 422 naming it (`countries[2]`, `reason`), and text that is not
/// JSON at all is a 400.
///
/// A number with a zero fraction (`2.0`) is an integer, as JSON Schema has
/// it: when such a number stands where an integer is expected, the body is
/// read again with those numbers as integers (only then, so the common case
/// parses once).
pub fn typed<T: DeserializeOwned>(json: &str) -> Result<T, ApiError> {
    match read(json) {
        Err(e) if e.inner().to_string().contains("floating point") => {
            match integral_floats_as_integers(json) {
                Some(integral) => read(&integral).map_err(problem_of),
                None => Err(problem_of(e)),
            }
        }
        result => result.map_err(problem_of),
    }
}

type ReadError = serde_path_to_error::Error<serde_json::Error>;

fn read<T: DeserializeOwned>(json: &str) -> Result<T, ReadError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer)
}

/// The body with every integral float (`2.0`, `-3e0`) written as an
/// integer; `None` when it has none or is not JSON.
fn integral_floats_as_integers(json: &str) -> Option<String> {
    fn walk(v: &mut serde_json::Value) -> bool {
        match v {
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                    *v = serde_json::Value::from(f as i64);
                    true
                }
                _ => false,
            },
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |c, i| walk(i) | c),
            serde_json::Value::Object(map) => map.values_mut().fold(false, |c, i| walk(i) | c),
            _ => false,
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(json).ok()?;
    walk(&mut value).then(|| value.to_string())
}

fn problem_of(e: ReadError) -> ApiError {
    if e.inner().is_syntax() || e.inner().is_eof() {
        return ApiError::malformed(format!("the body is not JSON: {}", e.inner()));
    }
    let inner = e.inner().to_string();
    // The path ends at the object that lacks a field; name the field.
    let path = e.path().to_string();
    let parent = if path == "." { String::new() } else { path };
    let (field, code) = match inner
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        Some(missing) if parent.is_empty() => (missing.to_owned(), "required"),
        Some(missing) => (format!("{parent}.{missing}"), "required"),
        // `$` (JSONPath's root) when the body as a whole has the wrong shape.
        None if parent.is_empty() => ("$".to_owned(), "invalid_type"),
        None => (parent, "invalid_type"),
    };
    // serde's message ends with " at line L column C", which says nothing more.
    let message = inner
        .rsplit_once(" at line ")
        .map_or(inner.as_str(), |(m, _)| m)
        .to_owned();
    ApiError::Validation {
        code: "validation_failed",
        errors: vec![FieldError::new(field, code, message)],
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let raw = web::Json::<Box<RawValue>>::from_request(req, payload);
        Box::pin(async move {
            let raw = raw.await?.into_inner();
            refuse_nul(raw.get())?;
            typed::<T>(raw.get()).map(Json).map_err(Into::into)
        })
    }
}

/// A JSON body a client may leave out (`POST …/votes` with nothing to say):
/// a request without a body is `T::default()`; a body is read and screened
/// as [`Json`] reads it, so a malformed one is still refused.
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = req.headers();
        let length = headers.get(actix_web::http::header::CONTENT_LENGTH);
        let chunked = headers.contains_key(actix_web::http::header::TRANSFER_ENCODING);
        let no_body = length.is_some_and(|l| l == "0") || (length.is_none() && !chunked);
        if no_body {
            return Box::pin(async { Ok(OptionalJson(T::default())) });
        }
        let json = Json::<T>::from_request(req, payload);
        Box::pin(async move { json.await.map(|Json(t)| OptionalJson(t)) })
    }
}

fn has_encoded_nul(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

/// The query parameter whose name or value holds `%00`, if any.
fn nul_query_parameter(query: &str) -> Option<String> {
    query
        .split('&')
        .find(|pair| has_encoded_nul(pair))
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            if has_encoded_nul(name) {
                "query".to_owned()
            } else {
                name.to_owned()
            }
        })
}

/// Middleware: URLs over the limit (414) and NUL characters in the path
/// (404) or the query (400) never reach a handler.
pub async fn screen_url(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let max = req
        .app_data::<web::Data<AppState>>()
        .map_or(usize::MAX, |s| s.settings.limits.max_url_bytes);
    let uri = req.uri();
    let length = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    let refusal = if length > max {
        Some(ApiError::UriTooLong(max))
    } else if has_encoded_nul(uri.path()) {
        Some(ApiError::NotFound)
    } else {
        uri.query()
            .and_then(nul_query_parameter)
            .map(|name| ApiError::bad_param(&name, "must not contain the NUL character (%00)"))
    };
    match refusal {
        Some(err) => {
            let response = err.error_response();
            Ok(req.into_response(response).map_into_right_body())
        }
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_and_key_with_a_nul_is_named() {
        let fields: Vec<String> = nul_fields(
            r#"{"bio":"a\u0000b","links":["ok","x\u0000"],"scores":{"k\u0000":1},"n":{"deep":["\u0000"]}}"#,
        )
        .into_iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(
            fields,
            vec!["bio", "links[1]", "n.deep[0]", "scores.k\\u0000"]
        );
    }

    #[test]
    fn an_escaped_backslash_before_u0000_is_plain_text() {
        assert!(nul_fields(r#"{"bio":"C:\\u0000"}"#).is_empty());
        assert!(nul_fields(r#"{"bio":"nothing here"}"#).is_empty());
    }

    #[derive(Debug, serde::Deserialize)]
    #[expect(dead_code, reason = "only deserialised")]
    struct Region {
        name: String,
        countries: Vec<String>,
        seats: Option<Seats>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Seats {
        count: u32,
    }

    fn named(json: &str) -> (String, String) {
        match typed::<Region>(json) {
            Err(ApiError::Validation { errors, .. }) => {
                (errors[0].field.clone(), errors[0].code.clone())
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_or_mistyped_field_is_named() {
        assert_eq!(
            named(r#"{"countries": []}"#),
            ("name".into(), "required".into())
        );
        assert_eq!(
            named(r#"{"name": "x", "countries": ["FR", 2]}"#),
            ("countries[1]".into(), "invalid_type".into())
        );
        assert_eq!(
            named(r#"{"name": "x", "countries": [], "seats": {}}"#),
            ("seats.count".into(), "required".into())
        );
        assert_eq!(
            named(r#"{"name": 5, "countries": []}"#),
            ("name".into(), "invalid_type".into())
        );
    }

    #[test]
    fn an_integral_float_is_read_as_an_integer() {
        let seats = typed::<Seats>(r#"{"count": 2.0}"#).map(|s| s.count);
        assert_eq!(seats.ok(), Some(2));
        assert_eq!(
            named(r#"{"name": "x", "countries": [], "seats": {"count": 2.5}}"#),
            ("seats.count".into(), "invalid_type".into())
        );
    }

    #[test]
    fn query_parameters_with_an_encoded_nul_are_found_by_name() {
        assert_eq!(
            nul_query_parameter("limit=5&region=%00"),
            Some("region".to_owned())
        );
        assert_eq!(nul_query_parameter("limit=5&region=europe"), None);
        assert_eq!(nul_query_parameter("a%00=1"), Some("query".to_owned()));
    }
}
