//! Successful responses: JSON with an `ETag` for single resources, `201` with
//! `Location` for creations. A `Reply` is plain data so that idempotent
//! endpoints can store it and replay it byte for byte.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;

use crate::error::ApiError;
use crate::http::etag;

/// A response ready to send or to store.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body.
    pub body: Vec<u8>,
    /// `Location` of a created resource.
    pub location: Option<String>,
}

impl Reply {
    /// `200` with `value` as JSON.
    pub fn ok(value: &impl Serialize) -> Result<Self, ApiError> {
        Self::with_status(StatusCode::OK, value, None)
    }

    /// `201 Created` with `Location`.
    pub fn created(value: &impl Serialize, location: String) -> Result<Self, ApiError> {
        Self::with_status(StatusCode::CREATED, value, Some(location))
    }

    /// `204 No Content`, for a removal.
    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: Vec::new(),
            location: None,
        }
    }

    /// `202 Accepted` with no body: the work goes on after the answer.
    pub fn accepted() -> Self {
        Self {
            status: StatusCode::ACCEPTED,
            body: Vec::new(),
            location: None,
        }
    }

    /// Any status with `value` as JSON.
    pub fn with_status(
        status: StatusCode,
        value: &impl Serialize,
        location: Option<String>,
    ) -> Result<Self, ApiError> {
        let body =
            serde_json::to_vec(value).map_err(|e| ApiError::Internal(format!("serialize: {e}")))?;
        Ok(Self {
            status,
            body,
            location,
        })
    }

    /// The response, with an `ETag` computed from the body.
    pub fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::NO_CONTENT {
            return response.finish();
        }
        response.content_type("application/json");
        response.insert_header((header::ETAG, etag::of(&self.body)));
        if let Some(location) = self.location {
            response.insert_header((header::LOCATION, location));
        }
        response.body(self.body)
    }
}

/// `200` JSON for a single resource, with its `ETag`.
pub fn resource(value: &impl Serialize) -> Result<HttpResponse, ApiError> {
    Ok(Reply::ok(value)?.into_response())
}

/// `200` JSON for a list (no `ETag`: lists change with every write).
pub fn list(value: &impl Serialize) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(value))
}
