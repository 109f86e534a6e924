//! Groups as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::group::{self, Activity, GroupStatus};
use liaison_persistence::groups::{Group, GroupWithHealth};

/// A user group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators", "name": "Lyon Operators", "country": "FR", "city": "Lyon",
    "region": "europe", "description": "Monthly meetup of people who run the software in production.",
    "links": ["https://example.org/lyon"], "coc_accepted": true, "status": "provisional", "status_reason": "Welcome!",
    "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct GroupView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    /// Region slug (from the country); null when the country is in no region.
    pub region: Option<String>,
    pub description: String,
    pub links: Vec<String>,
    /// Whether the organizers accepted the code of conduct.
    pub coc_accepted: bool,
    pub status: GroupStatus,
    /// Why the last review or status change was made.
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Group> for GroupView {
    fn from(g: Group) -> Self {
        Self {
            id: g.id,
            slug: g.slug,
            name: g.name,
            country: g.country,
            city: g.city,
            region: g.region_slug,
            description: g.description,
            links: g.links,
            coc_accepted: g.coc_accepted,
            status: g.status,
            status_reason: g.status_reason,
            created_at: g.created_at,
            updated_at: g.updated_at,
        }
    }
}

/// A group's health, computed from its data.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "held_last_90_days": 3, "held_last_365_days": 11, "average_attendance": 64.5, "organizers": 2,
    "last_event_at": "2026-11-12T18:00:00Z", "next_event_at": "2026-12-10T18:00:00Z", "feedback_last_365_days": 0, "flags": []
}))]
pub struct HealthView {
    pub held_last_90_days: i64,
    pub held_last_365_days: i64,
    /// Mean `attendee_count` of events held in the last 365 days.
    pub average_attendance: Option<f64>,
    pub organizers: i64,
    pub last_event_at: Option<DateTime<Utc>>,
    pub next_event_at: Option<DateTime<Utc>>,
    /// Feedback items linked to the group in the last 365 days.
    pub feedback_last_365_days: i64,
    /// Any of `no_event_180d`, `single_organizer`, `no_upcoming_event`.
    pub flags: Vec<String>,
}

pub(crate) fn health_of(g: &GroupWithHealth) -> HealthView {
    HealthView {
        held_last_90_days: g.held_last_90_days,
        held_last_365_days: g.held_last_365_days,
        average_attendance: g.average_attendance.map(|a| (a * 10.0).round() / 10.0),
        organizers: g.organizers,
        last_event_at: g.last_event_at,
        next_event_at: g.next_event_at,
        feedback_last_365_days: g.feedback_last_365_days,
        flags: group::health_flags(Activity {
            held_last_180_days: g.held_last_180_days,
            upcoming: g.upcoming,
            organizers: g.organizers,
        })
        .into_iter()
        .map(str::to_owned)
        .collect(),
    }
}

/// A group in a list, with its health.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupListItem {
    #[serde(flatten)]
    pub group: GroupView,
    pub health: HealthView,
}

pub(crate) fn list_item(g: GroupWithHealth) -> GroupListItem {
    let health = health_of(&g);
    GroupListItem {
        group: GroupView {
            id: g.id,
            slug: g.slug,
            name: g.name,
            country: g.country,
            city: g.city,
            region: g.region_slug,
            description: g.description,
            links: g.links,
            coc_accepted: g.coc_accepted,
            status: g.status,
            status_reason: g.status_reason,
            created_at: g.created_at,
            updated_at: g.updated_at,
        },
        health,
    }
}

/// A group to register.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "Lyon Operators", "slug": "lyon-operators", "country": "FR", "city": "Lyon",
    "description": "Monthly meetup of people who run the software in production.",
    "links": ["https://example.org/lyon"], "coc_accepted": true
}))]
pub struct RegisterGroup {
    /// 2–120 characters.
    #[schema(min_length = 2, max_length = 120, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: String,
    /// `[a-z0-9-]{2,64}`, unique.
    #[schema(
        pattern = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: String,
    /// ISO 3166-1 alpha-2; the region follows from it.
    #[schema(value_type = crate::openapi_values::CountryCode)]
    pub country: String,
    #[schema(min_length = 1, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub city: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    /// Up to 10 http(s) URLs.
    #[serde(default)]
    #[schema(max_items = 10, value_type = Vec<crate::openapi_values::HttpUrl>)]
    pub links: Vec<String>,
    /// The code of conduct is accepted (required for promotion to official).
    #[serde(default)]
    pub coc_accepted: bool,
}

/// Filters of the group list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// Region slug.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[param(value_type = Option<crate::openapi_values::CountryCode>)]
    pub country: Option<String>,
    /// `pending`, `provisional`, `official`, `rejected` or `inactive`.
    pub status: Option<GroupStatus>,
    /// Words in the name or city.
    pub q: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct GroupCsv {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: GroupStatus,
    pub country: String,
    pub city: String,
    pub region: Option<String>,
    pub organizers: i64,
    pub held_last_90_days: i64,
    pub held_last_365_days: i64,
    pub average_attendance: Option<f64>,
    pub last_event_at: Option<DateTime<Utc>>,
    pub next_event_at: Option<DateTime<Utc>>,
    pub flags: String,
}

pub(crate) const GROUP_CSV_HEADER: &[&str] = &[
    "id",
    "slug",
    "name",
    "status",
    "country",
    "city",
    "region",
    "organizers",
    "held_last_90_days",
    "held_last_365_days",
    "average_attendance",
    "last_event_at",
    "next_event_at",
    "flags",
];

/// Changes to a group; absent fields stay.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"description": "Monthly meetup, now with a hands-on track.", "coc_accepted": true}))]
pub struct GroupPatch {
    #[schema(min_length = 2, max_length = 120, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi_values::CountryCode>)]
    pub country: Option<String>,
    #[schema(min_length = 1, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub city: Option<String>,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[schema(max_items = 10, value_type = Option<Vec<crate::openapi_values::HttpUrl>>)]
    pub links: Option<Vec<String>>,
    pub coc_accepted: Option<bool>,
}

/// An ambassador's review of a pending group.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"decision": "approve", "reason": "Welcome! Two meetups already held in Lyon."}))]
pub struct ReviewGroup {
    pub decision: ReviewDecision,
    /// Required when rejecting (1–2000 characters); optional when approving.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// Approve (→ provisional) or reject.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Approve,
    Reject,
}

/// A status change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "official", "reason": "Three meetups this year and two organizers."}))]
pub struct StatusChange {
    pub status: TargetStatus,
    /// Required (1–2000 characters).
    #[serde(default)]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^\S([\s\S]*\S)?$")]
    pub reason: Option<String>,
}

/// The statuses a review may set.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Official,
    Inactive,
    Provisional,
}
