//! Audit entries (`domain.md` "Audit"): every state change records who did
//! what to which entity, written in the same transaction as the change.

use serde_json::Value;

/// One state change to record.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    /// What happened, e.g. `region.created`.
    pub action: &'static str,
    /// Kind of entity changed, e.g. `region`.
    pub entity_type: &'static str,
    /// The entity's id (or another stable key).
    pub entity_id: String,
    /// A summary of the change (never secrets).
    pub summary: Value,
}

impl AuditEvent {
    /// An event for `entity_type`/`entity_id`.
    pub fn new(
        action: &'static str,
        entity_type: &'static str,
        entity_id: impl ToString,
        summary: Value,
    ) -> Self {
        Self {
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            summary,
        }
    }
}
