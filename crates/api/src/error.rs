//! The API's one error type. Each variant has exactly one status and one
//! problem `code`; the response is an RFC 9457 problem document. Database and
//! internal errors are logged with their cause and answered opaquely.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use liaison_domain::{FieldError, Invalid};
use liaison_persistence::Error as StoreError;

use crate::request_id;

/// One bad field in a problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// Path of the field, e.g. `countries[2]` or `limit`.
    #[schema(example = "countries[2]")]
    pub field: String,
    /// Stable code for the field's problem.
    #[schema(example = "unknown_country")]
    pub code: String,
    /// Plain-language explanation.
    #[schema(example = "`XX` is not an ISO 3166-1 alpha-2 country code")]
    pub message: String,
}

impl From<FieldError> for ProblemField {
    fn from(e: FieldError) -> Self {
        Self {
            field: e.field,
            code: e.code,
            message: e.message,
        }
    }
}

/// An RFC 9457 problem document (`application/problem+json`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:liaison:problem:validation_failed",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "1 field is invalid",
    "code": "validation_failed",
    "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
    "errors": [{"field": "countries[2]", "code": "unknown_country", "message": "`XX` is not an ISO 3166-1 alpha-2 country code"}]
}))]
pub struct Problem {
    /// `urn:liaison:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The HTTP status phrase.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, for people.
    pub detail: String,
    /// Stable snake_case code clients switch on.
    pub code: String,
    /// The request's `X-Request-Id`.
    pub request_id: Option<String>,
    /// Every bad field, when fields are at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// A problem lists at most this many bad fields, so that a body with a
/// huge array of bad items gets a bounded answer.
pub const MAX_LISTED_ERRORS: usize = 100;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 `malformed_request`: not JSON, wrong shape, bad query value or cursor.
    #[error("{detail}")]
    Malformed {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 401 `unauthenticated`: missing, malformed, expired or wrongly signed credentials.
    #[error("{0}")]
    Unauthenticated(String),
    /// 403 `forbidden` or a sharper code such as `conflict_of_interest`.
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    /// 404 `not_found`: absent, or not visible to the caller.
    #[error("not found")]
    NotFound,
    /// 409 with a rule's code (`already_exists`, `invalid_transition`, …).
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 410 with a rule's code, e.g. `revoked`.
    #[error("{detail}")]
    Gone { code: &'static str, detail: String },
    /// 412 `precondition_failed`: `If-Match` does not match the current `ETag`.
    #[error("If-Match does not match the current ETag")]
    PreconditionFailed,
    /// 413 `payload_too_large`.
    #[error("body larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// 415 `unsupported_media_type`.
    #[error("body must be application/json")]
    UnsupportedMediaType,
    /// 422 `validation_failed` (or another code) naming every bad field.
    #[error("validation failed")]
    Validation {
        code: &'static str,
        errors: Vec<FieldError>,
    },
    /// 429 `rate_limited`.
    #[error("rate limited")]
    RateLimited { limit: u32, reset_in: u32 },
    /// 503 `unavailable`: the database cannot be reached.
    #[error("database unavailable")]
    Unavailable,
    /// 503 `unavailable`: a bounded class of work is full (password
    /// workers, exports, syncs) and the short wait for a place ran out.
    #[error("{detail}")]
    Busy {
        retry_after: u32,
        detail: &'static str,
    },
    /// 503 `unavailable`: a statement ran past its class's `statement_timeout`.
    #[error("the request took longer than the server allows; retry later")]
    TimedOut,
    /// 405 `method_not_allowed`, with the methods the path has.
    #[error("{method} is not allowed here; use {}", allow.join(", "))]
    MethodNotAllowed { method: String, allow: Vec<String> },
    /// 414 `uri_too_long`.
    #[error("the URL is longer than {0} bytes")]
    UriTooLong(usize),
    /// 431 `request_header_fields_too_large`: the request head is over 128 KiB.
    #[error("the request's headers are too large")]
    HeadTooLarge,
    /// 500 `internal`: logged, never detailed to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 400 with a detail and no field list.
    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::Malformed {
            detail: detail.into(),
            errors: vec![],
        }
    }

    /// A 400 naming one bad query parameter.
    pub fn bad_param(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Malformed {
            detail: format!("query parameter `{field}`: {message}"),
            errors: vec![FieldError::new(field, "invalid_parameter", message)],
        }
    }

    /// A 403 `forbidden`.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::Forbidden {
            code: "forbidden",
            detail: detail.into(),
        }
    }

    /// A 409 with a code and a detail.
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
            errors: vec![],
        }
    }

    /// A 422 `validation_failed` naming one field.
    pub fn invalid_field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            code: "validation_failed",
            errors: vec![FieldError::new(field, code, message)],
        }
    }

    /// The problem `code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Malformed { .. } => "malformed_request",
            ApiError::Unauthenticated(_) => "unauthenticated",
            ApiError::Forbidden { code, .. } => code,
            ApiError::NotFound => "not_found",
            ApiError::Conflict { code, .. } => code,
            ApiError::Gone { code, .. } => code,
            ApiError::PreconditionFailed => "precondition_failed",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Validation { code, .. } => code,
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unavailable | ApiError::Busy { .. } | ApiError::TimedOut => "unavailable",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::UriTooLong(_) => "uri_too_long",
            ApiError::HeadTooLarge => "request_header_fields_too_large",
            ApiError::Internal(_) => "internal",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::Validation { errors, .. } => match errors.len() {
                1 => format!("{}: {}", errors[0].field, errors[0].message),
                n if n > MAX_LISTED_ERRORS => {
                    format!("{n} fields are invalid; the first {MAX_LISTED_ERRORS} are listed")
                }
                n => format!("{n} fields are invalid"),
            },
            ApiError::NotFound => "no such resource, or it is not visible to you".into(),
            ApiError::RateLimited { reset_in, .. } => {
                format!("too many requests; retry in {reset_in} s")
            }
            ApiError::Unavailable => "the database cannot be reached; retry shortly".into(),
            ApiError::Internal(_) => {
                "an internal error occurred; quote the request id when reporting it".into()
            }
            other => other.to_string(),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let errors = match self {
            ApiError::Malformed { errors, .. }
            | ApiError::Conflict { errors, .. }
            | ApiError::Validation { errors, .. } => errors
                .iter()
                .take(MAX_LISTED_ERRORS)
                .cloned()
                .map(ProblemField::from)
                .collect(),
            _ => vec![],
        };
        Problem {
            type_: format!("urn:liaison:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code().to_owned(),
            request_id: request_id::current(),
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Malformed { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Gone { .. } => StatusCode::GONE,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable | ApiError::Busy { .. } | ApiError::TimedOut => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::HeadTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(cause = %cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::Unauthenticated(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"liaison\""));
            }
            ApiError::RateLimited { limit, reset_in } => {
                response.insert_header((header::RETRY_AFTER, reset_in.to_string()));
                response.insert_header(("RateLimit-Limit", limit.to_string()));
                response.insert_header(("RateLimit-Remaining", "0"));
                response.insert_header(("RateLimit-Reset", reset_in.to_string()));
            }
            ApiError::Unavailable | ApiError::TimedOut => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::Busy { retry_after, .. } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            _ => {}
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        response.body(body)
    }
}

impl From<Invalid> for ApiError {
    fn from(Invalid(errors): Invalid) -> Self {
        ApiError::Validation {
            code: "validation_failed",
            errors,
        }
    }
}

/// One field's error (a rule checked alone, such as the password policy).
impl From<liaison_domain::FieldError> for ApiError {
    fn from(error: liaison_domain::FieldError) -> Self {
        Invalid(vec![error]).into()
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        if err.is_unavailable() {
            tracing::warn!(error = %err, "database unavailable");
            return ApiError::Unavailable;
        }
        if err.is_timeout() {
            tracing::warn!(error = %err, "statement timed out");
            return ApiError::TimedOut;
        }
        match err {
            StoreError::Duplicate(constraint) => ApiError::conflict(
                "already_exists",
                format!("a resource with these values already exists ({constraint})"),
            ),
            StoreError::CountriesTaken(countries) => ApiError::Conflict {
                code: "country_taken",
                detail: format!("already in another region: {}", countries.join(", ")),
                errors: countries
                    .iter()
                    .map(|c| {
                        FieldError::new(
                            "countries",
                            "country_taken",
                            format!("{c} already belongs to another region"),
                        )
                    })
                    .collect(),
            },
            StoreError::Db(db) => ApiError::Internal(format!("{db:?}")),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        ApiError::from(StoreError::Db(err))
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// Maps the violation of one named unique constraint to the client error it
/// means, at the call that can cause it; any other error converts as usual
/// (another constraint stays a generic 409 that names it).
pub trait OnConstraint<T> {
    /// `constraint` is the constraint's or unique index's name.
    fn on_constraint(
        self,
        constraint: &str,
        error: impl FnOnce() -> ApiError,
    ) -> Result<T, ApiError>;
}

impl<T> OnConstraint<T> for Result<T, StoreError> {
    fn on_constraint(
        self,
        constraint: &str,
        error: impl FnOnce() -> ApiError,
    ) -> Result<T, ApiError> {
        self.map_err(|err| match err {
            StoreError::Duplicate(name) if name == constraint => error(),
            other => other.into(),
        })
    }
}
