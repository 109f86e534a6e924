//! What every handler shares: the pool, settings, token keys, metrics, the
//! password workers and the gates that bound bulk work.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::passwords::Passwords;
use crate::auth::tokens::TokenKeys;
use crate::http::gate::Gates;
use crate::metrics::Metrics;
use crate::settings::Settings;

/// Shared application state, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// Settings read at start.
    pub settings: Arc<Settings>,
    /// Access-token signing and verifying keys.
    pub tokens: Arc<TokenKeys>,
    /// Request metrics.
    pub metrics: Arc<Metrics>,
    /// The bounded pool that hashes and verifies passwords.
    pub passwords: Arc<Passwords>,
    /// Bounds on exports, syncs and feed reads.
    pub gates: Arc<Gates>,
    /// Members' actor facts, kept for reads until a change is heard.
    pub known: Arc<crate::auth::known::KnownMembers>,
    /// Feedback summaries, computed once per question for a few seconds.
    pub summaries: Arc<crate::http::memo::Memo>,
}
