//! The dashboard as clients read it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A panel: how many wait, and the first of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Panel<T> {
    /// All that wait, not only those listed.
    pub total: i64,
    /// The first ones, at most 50.
    pub items: Vec<T>,
}

impl<T> Panel<T> {
    /// A panel of rows that each carry the total.
    pub fn of<R>(rows: Vec<R>, total: impl Fn(&R) -> i64, view: impl Fn(R) -> T) -> Self {
        Self {
            total: rows.first().map(&total).unwrap_or(0),
            items: rows.into_iter().map(view).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingGroupView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlaggedGroupView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// `no_event_180d`, `single_organizer`, `no_upcoming_event`.
    pub flags: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UntriagedView {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub component: String,
    pub severity: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingClaimView {
    pub id: Uuid,
    pub member_id: Uuid,
    pub display_name: String,
    pub kind: String,
    pub title: String,
    pub occurred_on: NaiveDate,
    pub group_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A message, by title.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct MessageRef {
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnacknowledgedView {
    pub group_id: Uuid,
    pub slug: String,
    pub name: String,
    /// Live messages to the region the group has not acknowledged, newest first.
    pub messages: Vec<MessageRef>,
}

/// An ambassador's report status.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportStatusView {
    pub ambassador_id: Uuid,
    pub member_id: Uuid,
    pub display_name: String,
    /// The quarter whose report is due now.
    pub due_period: String,
    /// The latest quarter reported, if any.
    pub last_report_period: Option<String>,
    pub overdue: bool,
}

/// What waits on a region's ambassadors.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "region": "europe",
    "pending_registrations": {"total": 1, "items": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e41", "slug": "porto-stack", "name": "Porto Stack",
        "country": "PT", "city": "Porto", "created_at": "2026-11-20T08:00:00Z"}]},
    "flagged_groups": {"total": 1, "items": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators", "name": "Lyon Operators",
        "flags": ["no_upcoming_event"]}]},
    "untriaged_feedback": {"total": 0, "items": []},
    "pending_contributions": {"total": 0, "items": []},
    "unacknowledged_messages": {"total": 1, "items": [{"group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators",
        "name": "Lyon Operators", "messages": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e90", "title": "Call for summit speakers"}]}]},
    "ambassadors": [{"ambassador_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
        "display_name": "Marie Dubois", "due_period": "2026-Q3", "last_report_period": "2026-Q3", "overdue": false}]
}))]
pub struct DashboardView {
    /// Region slug.
    pub region: String,
    pub pending_registrations: Panel<PendingGroupView>,
    pub flagged_groups: Panel<FlaggedGroupView>,
    pub untriaged_feedback: Panel<UntriagedView>,
    pub pending_contributions: Panel<PendingClaimView>,
    /// Active groups with live messages they have not acknowledged, those with most first.
    pub unacknowledged_messages: Panel<UnacknowledgedView>,
    /// The region's serving ambassadors.
    pub ambassadors: Vec<ReportStatusView>,
}
