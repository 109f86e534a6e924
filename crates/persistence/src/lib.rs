//! Liaison's PostgreSQL access through sea-orm, one module per aggregate.
//!
//! Functions take `&impl ConnectionTrait` so the caller (a handler or a
//! service function) owns the transaction; they return models or [`Error`],
//! never HTTP types.

pub mod account_tokens;
pub mod ambassadorships;
pub mod appeals;
pub mod applications;
pub mod audit;
pub mod calendars;
pub mod check;
pub mod contribution_kinds;
pub mod contributions;
pub mod cycles;
pub mod dashboard;
pub mod database;
mod decode;
pub mod eligibility;
pub mod error;
pub mod events;
pub mod feedback;
pub mod groups;
pub mod idempotency;
pub mod members;
pub mod messages;
pub mod outbox;
pub mod passes;
pub mod personal_data;
pub mod rate_limits;
pub mod reachable;
pub mod recognition_programs;
pub mod refresh_tokens;
pub mod regions;
pub mod reports;
pub mod service_accounts;
pub mod summits;
pub mod webhooks;

pub use error::Error;
pub use sea_orm;

use sea_orm::{DbBackend, Statement, Value};

/// A PostgreSQL statement with its parameters (`$1`, `$2`, …): the one way
/// this crate writes raw SQL.
pub(crate) fn stmt(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}
