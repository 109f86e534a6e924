//! Reading the audit log back as staff.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{body, Member, TestApp};

impl TestApp {
    /// The audit entries staff read for `entity_type` (newest first, up to 200).
    pub async fn audit_entries(&self, staff: &Member, entity_type: &str) -> Vec<Value> {
        let response = self
            .get(
                &format!("/v1/audit-log?entity_type={entity_type}&limit=200"),
                Some(&staff.token),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "read the audit log");
        body(response).await["items"]
            .as_array()
            .expect("items")
            .clone()
    }

    /// How many `action` entries staff read in the audit log for `entity_type`.
    pub async fn audited(&self, staff: &Member, entity_type: &str, action: &str) -> usize {
        self.audit_entries(staff, entity_type)
            .await
            .iter()
            .filter(|e| e["action"] == action)
            .count()
    }
}
