//! Liaison's PostgreSQL access through sea-orm, one module per aggregate.
//!
//! Functions take `&impl ConnectionTrait` so the caller (a handler or a
//! service function) owns the transaction; they return models or [`Error`],
//! never HTTP types.

pub mod ambassadorships;
pub mod applications;
pub mod audit;
pub mod cycles;
pub mod database;
pub mod error;
pub mod events;
pub mod groups;
pub mod idempotency;
pub mod members;
pub mod passes;
pub mod rate_limits;
pub mod recognition;
pub mod refresh_tokens;
pub mod regions;
pub mod service_accounts;

pub use error::Error;
pub use sea_orm;
