//! Audit as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_persistence::audit::AuditEntry;

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e14", "occurred_at": "2026-11-23T10:00:00Z", "actor_type": "member",
    "actor_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "action": "region.created", "entity_type": "region",
    "entity_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e13", "summary": {"slug": "europe"}, "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e15"
}))]
pub struct AuditEntryView {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// `member`, `service_account`, `anonymous` or `system`.
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    /// e.g. `region.created`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// What changed.
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub request_id: Option<String>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            summary: e.summary,
            request_id: e.request_id,
        }
    }
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// e.g. `region`, `member`, `service_account`.
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// A member or service account id.
    pub actor: Option<Uuid>,
    /// Entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub until: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
pub(crate) struct AuditCsv {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub summary: String,
    pub request_id: Option<String>,
}
