//! Ambassadors as clients send and read them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::ambassador::AmbassadorStatus;
use liaison_persistence::ambassadorships::Ambassadorship;

/// An ambassadorship.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois",
    "region": "europe", "cycle_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20", "term_start": "2027-01-20", "term_end": "2028-01-20",
    "status": "active", "status_reason": null, "overdue": false, "created_at": "2027-01-20T10:00:00Z", "updated_at": "2027-01-20T10:00:00Z"
}))]
pub struct AmbassadorView {
    pub id: Uuid,
    pub member_id: Uuid,
    pub display_name: String,
    /// Region slug.
    pub region: String,
    pub cycle_id: Uuid,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub status: AmbassadorStatus,
    pub status_reason: Option<String>,
    /// Active, and the quarter last due (the previous one, from 30 days
    /// after it ended) has no report although the term covered it.
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Ambassadorship> for AmbassadorView {
    fn from(s: Ambassadorship) -> Self {
        Self {
            id: s.id,
            member_id: s.member_id,
            display_name: s.display_name,
            region: s.region_slug,
            cycle_id: s.cycle_id,
            term_start: s.term_start,
            term_end: s.term_end,
            status: s.status,
            status_reason: s.status_reason,
            overdue: s.overdue,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Filters of the ambassador list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AmbassadorQuery {
    /// Region slug.
    pub region: Option<String>,
    pub status: Option<AmbassadorStatus>,
    /// `true`: only active ambassadors whose last due report is missing.
    pub overdue: Option<bool>,
}

/// The statuses a `PATCH` may set: an ambassadorship ends, or is removed.
/// Only the document uses it (`AmbassadorPatch::status`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum AmbassadorshipEnd {
    Ended,
    Removed,
}

/// Ending or removing an ambassadorship.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "ended", "reason": "Stepped down to focus on the Lyon meetup."}))]
pub struct AmbassadorPatch {
    /// `ended` or `removed`.
    #[schema(value_type = AmbassadorshipEnd)]
    pub status: AmbassadorStatus,
    /// Required, 1–2000 characters.
    #[schema(min_length = 1, max_length = 2000, pattern = r"^\S([\s\S]*\S)?$")]
    pub reason: String,
}
