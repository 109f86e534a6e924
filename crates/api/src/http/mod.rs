//! HTTP mechanisms shared by every resource: extractor errors as problems,
//! pagination, ETags, idempotency, CSV, rate limits, CORS, gates that bound
//! bulk work, and the screening of hostile input.

pub mod batch;
pub mod command;
pub mod connection;
pub mod cors;
pub mod csv_export;
pub mod etag;
pub mod extract;
pub mod gate;
pub mod idempotency;
pub mod memo;
pub mod pagination;
pub mod rate_limit;
pub mod reply;
pub mod screen;
pub mod validate;
