//! Appeals as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use liaison_domain::pass::AppealStatus;
use liaison_persistence::appeals::Appeal;

/// An appeal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e90", "summit_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e70",
  "program": "acc", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "message": "My meetups were on luma, not meetup.",
  "status": "open", "reason": null, "decided_at": null, "pass_id": null, "created_at": "2026-11-23T10:00:00Z"}))]
pub struct AppealView {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    pub message: String,
    pub status: AppealStatus,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The pass issued when granted.
    pub pass_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<Appeal> for AppealView {
    fn from(a: Appeal) -> Self {
        Self {
            id: a.id,
            summit_id: a.summit_id,
            program: a.program,
            member_id: a.member_id,
            message: a.message,
            status: a.status,
            reason: a.reason,
            decided_at: a.decided_at,
            pass_id: a.pass_id,
            created_at: a.created_at,
        }
    }
}

/// An appeal to file.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"program": "acc", "message": "My meetups were on luma, not meetup."}))]
pub struct AppealRequest {
    pub program: String,
    #[schema(min_length = 10, max_length = 5000, pattern = r"^\S([\s\S]*\S)?$")]
    pub message: String,
}

/// Staff's decision on an appeal.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"outcome": "granted", "reason": "Verified the luma events."}))]
pub struct AppealDecision {
    pub outcome: AppealOutcome,
    #[schema(min_length = 1, max_length = 2000, pattern = r"^\S([\s\S]*\S)?$")]
    pub reason: String,
}

/// Granted or denied.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    Granted,
    Denied,
}

impl From<AppealOutcome> for AppealStatus {
    fn from(o: AppealOutcome) -> Self {
        match o {
            AppealOutcome::Granted => Self::Granted,
            AppealOutcome::Denied => Self::Denied,
        }
    }
}
