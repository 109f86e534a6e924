//! HTTP mechanisms shared by every resource: extractor errors as problems,
//! pagination, ETags, idempotency, CSV, rate limits, CORS.

pub mod cors;
pub mod csv_export;
pub mod etag;
pub mod extract;
pub mod idempotency;
pub mod pagination;
pub mod rate_limit;
pub mod reply;
pub mod validate;
