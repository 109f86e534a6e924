//! Reports and their drafts as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::report::{Metrics, Quarter};
use liaison_persistence::reports::Report;

/// The example figures of a quarter.
fn example_metrics() -> serde_json::Value {
    serde_json::json!({
        "events_held": 7, "attendance": 412, "new_groups": 2, "groups_made_official": 1,
        "feedback_submitted": 31, "feedback_triaged": 28, "contributions_verified": 19, "passes_issued": 12,
        "largest_events": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e60", "title": "Lyon Operators #42", "group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40",
                            "group_slug": "lyon-operators", "starts_at": "2026-09-17T17:00:00Z", "attendee_count": 104}],
        "most_voted_feedback": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e70", "title": "Live migration fails with NUMA pinning",
                                 "status": "forwarded", "votes": 57}]
    })
}

/// Which quarter to draft.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// `YYYY-Qn`, begun by now; the previous quarter when left out.
    #[param(example = "2026-Q3", value_type = Option<crate::openapi_values::Quarter>)]
    pub period: Option<String>,
}

/// A quarter's figures for the ambassador's region, filled from data, to
/// write a report from.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "ambassador_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30", "region": "europe", "period": "2026-Q3",
    "starts_at": "2026-07-01T00:00:00Z", "ends_at": "2026-10-01T00:00:00Z", "metrics": example_metrics(), "report_id": null
}))]
pub struct DraftView {
    pub ambassador_id: Uuid,
    /// Region slug.
    pub region: String,
    pub period: String,
    /// The quarter's first instant (UTC), inclusive.
    pub starts_at: DateTime<Utc>,
    /// The next quarter's first instant, exclusive.
    pub ends_at: DateTime<Utc>,
    pub metrics: Metrics,
    /// The report already filed for the quarter, if any.
    pub report_id: Option<Uuid>,
}

impl DraftView {
    pub fn new(
        ambassador_id: Uuid,
        region: String,
        period: Quarter,
        metrics: Metrics,
        report_id: Option<Uuid>,
    ) -> Self {
        Self {
            ambassador_id,
            region,
            period: period.to_string(),
            starts_at: period.starts_at(),
            ends_at: period.ends_at(),
            metrics,
            report_id,
        }
    }
}

/// A report to file.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "period": "2026-Q3", "summary": "Seven meetups across four cities; Lyon became official.",
    "highlights": ["Lyon Operators reached 104 attendees", "Two new groups in Porto and Gdańsk"]
}))]
pub struct FileReport {
    /// `YYYY-Qn`, begun by now and covered by the ambassador's term.
    #[schema(value_type = crate::openapi_values::Quarter)]
    pub period: String,
    /// 1–10,000 characters.
    #[schema(min_length = 1, max_length = 10000)]
    pub summary: String,
    /// Up to 20, each 1–500 characters.
    #[serde(default)]
    #[schema(max_items = 20, value_type = Vec<Highlight>)]
    pub highlights: Vec<String>,
}

/// A filed report, with the figures of its quarter as they stood when it was filed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e80", "ambassador_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30",
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "region": "europe", "period": "2026-Q3",
    "summary": "Seven meetups across four cities; Lyon became official.",
    "highlights": ["Lyon Operators reached 104 attendees"], "metrics": example_metrics(), "created_at": "2026-10-12T09:30:00Z"
}))]
pub struct ReportView {
    pub id: Uuid,
    pub ambassador_id: Uuid,
    pub member_id: Uuid,
    /// Region slug.
    pub region: String,
    pub period: String,
    pub summary: String,
    pub highlights: Vec<String>,
    pub metrics: Metrics,
    pub created_at: DateTime<Utc>,
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        Self {
            id: r.id,
            ambassador_id: r.ambassadorship_id,
            member_id: r.member_id,
            region: r.region_slug,
            period: r.period,
            summary: r.summary,
            highlights: r.highlights,
            metrics: r.metrics,
            created_at: r.created_at,
        }
    }
}

/// `Highlight`: one highlight of a report, 1–500 characters (trimmed).
pub struct Highlight;

impl utoipa::PartialSchema for Highlight {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(500))
            .pattern(Some(crate::openapi_values::TRIMMED))
            .into()
    }
}

impl ToSchema for Highlight {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Highlight")
    }
}
