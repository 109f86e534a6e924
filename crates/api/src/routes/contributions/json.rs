//! Contributions as clients send and read them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::recognition::ContributionStatus;
use liaison_persistence::contributions::Contribution;

/// A contribution.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e60", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "kind": "talk_given",
    "occurred_on": "2026-10-14", "title": "Upgrades without downtime at Lyon Operators", "evidence_url": "https://example.org/slides",
    "group_id": null, "event_id": null, "status": "pending", "note": null, "derived": false, "source": null, "external_id": null,
    "decided_at": null, "created_at": "2026-11-23T10:00:00Z"
}))]
pub struct ContributionView {
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub status: ContributionStatus,
    /// The verifier's note (required on rejection).
    pub note: Option<String>,
    /// Derived from data (e.g. an event marked held), not claimed.
    pub derived: bool,
    /// The tool an imported contribution came from (`ask-openstack`); null for claims.
    pub source: Option<String>,
    /// Its id in that tool.
    pub external_id: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<Contribution> for ContributionView {
    fn from(c: Contribution) -> Self {
        Self {
            id: c.id,
            member_id: c.member_id,
            kind: c.kind,
            occurred_on: c.occurred_on,
            title: c.title,
            evidence_url: c.evidence_url,
            group_id: c.group_id,
            event_id: c.event_id,
            status: c.status,
            note: c.note,
            derived: c.derived_from.is_some(),
            source: c.source,
            external_id: c.external_id,
            decided_at: c.decided_at,
            created_at: c.created_at,
        }
    }
}

/// A claim.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"kind": "talk_given", "occurred_on": "2026-10-14", "title": "Upgrades without downtime at Lyon Operators",
  "evidence_url": "https://example.org/slides"}))]
pub struct ClaimRequest {
    #[schema(pattern = r"^[a-z][a-z0-9_]{1,63}$")]
    pub kind: String,
    /// Not in the future.
    pub occurred_on: NaiveDate,
    /// 3–200 characters.
    #[schema(min_length = 3, max_length = 200, pattern = r"^\S([\s\S]*\S)?$")]
    pub title: String,
    #[schema(value_type = Option<crate::openapi_values::WebLink>)]
    pub evidence_url: Option<String>,
    /// A group the contribution was for (its organizers may verify it).
    pub group_id: Option<Uuid>,
    /// An event of that group.
    pub event_id: Option<Uuid>,
}

/// Filters of the contribution list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContributionQuery {
    pub member: Option<Uuid>,
    pub status: Option<ContributionStatus>,
    /// Region slug (the member's or the group's).
    pub region: Option<String>,
    pub group: Option<Uuid>,
}

/// A verifier's decision.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"decision": "verified", "note": "Saw the talk."}))]
pub struct VerificationRequest {
    pub decision: VerificationDecision,
    /// Required when rejecting.
    pub note: Option<String>,
}

/// Verified or rejected.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum VerificationDecision {
    Verified,
    Rejected,
}

/// A batch of contributions from another tool.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"source": "ask-openstack", "dry_run": false, "contributions": [
  {"external_id": "answer-48213", "email": "ada@example.org", "kind": "talk_given", "occurred_on": "2026-10-14",
   "title": "Answered: live migration of large instances", "evidence_url": "https://ask.example.org/a/48213"},
  {"external_id": "answer-48250", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "kind": "talk_given",
   "occurred_on": "2026-10-20", "title": "Answered: Ceph backends for Glance", "evidence_url": "https://ask.example.org/a/48250",
   "group_id": null}]}))]
pub struct ImportRequest {
    /// The tool the rows come from: 2–40 characters of a-z, 0-9, `-` and `_`, not `manual`.
    #[schema(pattern = r"^[a-z0-9_-]{2,40}$", min_length = 2, max_length = 40)]
    pub source: String,
    /// Count what would happen; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// 1–5,000 rows, each with its own `external_id`.
    #[schema(value_type = Vec<ImportRowDto>, min_items = 1, max_items = 5000)]
    pub contributions: Vec<serde_json::Value>,
}

/// One imported contribution: its member by `member_id` or by `email` (exactly one).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"external_id": "answer-48213", "email": "ada@example.org", "kind": "talk_given",
  "occurred_on": "2026-10-14", "title": "Answered: live migration of large instances",
  "evidence_url": "https://ask.example.org/a/48213"}))]
pub struct ImportRowDto {
    /// The row's id in the source; (`source`, `external_id`) identifies the contribution.
    #[schema(min_length = 1, max_length = 200)]
    pub external_id: String,
    pub member_id: Option<Uuid>,
    /// Matched case-insensitively.
    #[schema(value_type = Option<crate::openapi_values::EmailAddress>)]
    pub email: Option<String>,
    #[schema(pattern = r"^[a-z][a-z0-9_]{1,63}$")]
    pub kind: String,
    /// Not in the future.
    pub occurred_on: NaiveDate,
    /// 3–200 characters.
    #[schema(min_length = 3, max_length = 200, pattern = r"^\S([\s\S]*\S)?$")]
    pub title: String,
    /// An http(s) URL.
    #[schema(value_type = Option<crate::openapi_values::WebLink>)]
    pub evidence_url: Option<String>,
    /// A group the contribution was for.
    pub group_id: Option<Uuid>,
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"created": 4180, "updated": 12, "unchanged": 790,
  "unknown_members": [{"index": 17, "email": "someone@example.net", "member_id": null}]}))]
pub struct ImportResult {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// Rows skipped because no member has that id or email (never guessed).
    pub unknown_members: Vec<UnknownMember>,
}

/// A row whose member is unknown; only what the caller sent for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnknownMember {
    /// The row's index in `contributions`.
    pub index: usize,
    pub email: Option<String>,
    pub member_id: Option<Uuid>,
}
