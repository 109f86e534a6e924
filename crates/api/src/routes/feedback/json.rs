//! Feedback as clients send and read it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::feedback::{FeedbackKind, FeedbackStatus, Severity};
use liaison_persistence::feedback::{Bucket, HistoryEntry, Item, Similar};

/// A feedback item.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0ea0", "author_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
    "group_id": null, "event_id": null, "region": "europe", "kind": "bug", "component": "compute",
    "title": "Live migration times out on large instances", "body": "Instances over 64 GiB fail to migrate within the default timeout.",
    "severity": "high", "release": "2026.1", "node_count": 120, "distribution": "Ubuntu 24.04", "tags": ["live-migration"],
    "status": "new", "duplicate_of": null, "upstream_url": null, "status_note": null, "votes": 12,
    "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct ItemView {
    pub id: Uuid,
    pub author_id: Uuid,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    /// Region slug: the group's, else the author's.
    pub region: Option<String>,
    pub kind: FeedbackKind,
    pub component: String,
    pub title: String,
    pub body: String,
    pub severity: Severity,
    pub release: Option<String>,
    pub node_count: Option<i32>,
    pub distribution: Option<String>,
    pub tags: Vec<String>,
    pub status: FeedbackStatus,
    /// The item this one duplicates (status `duplicate`).
    pub duplicate_of: Option<Uuid>,
    /// Where the item went upstream (from `forwarded` on).
    pub upstream_url: Option<String>,
    pub status_note: Option<String>,
    /// Distinct members who voted for it, duplicates' votes included; 0 on a duplicate.
    pub votes: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Item> for ItemView {
    fn from(i: Item) -> Self {
        Self {
            id: i.id,
            author_id: i.author_id,
            group_id: i.group_id,
            event_id: i.event_id,
            region: i.region_slug,
            kind: i.kind,
            component: i.component,
            title: i.title,
            body: i.body,
            severity: i.severity,
            release: i.release,
            node_count: i.node_count,
            distribution: i.distribution,
            tags: i.tags,
            status: i.status,
            duplicate_of: i.duplicate_of,
            upstream_url: i.upstream_url,
            status_note: i.status_note,
            votes: i.votes,
            created_at: i.created_at,
            updated_at: i.updated_at,
        }
    }
}

/// An item similar by title.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarView {
    pub id: Uuid,
    pub title: String,
    pub status: String,
    /// Trigram similarity of the titles, 0–1.
    pub similarity: f32,
}

impl From<Similar> for SimilarView {
    fn from(s: Similar) -> Self {
        Self {
            id: s.id,
            title: s.title,
            status: s.status,
            similarity: s.similarity,
        }
    }
}

/// A filed item, with the items people may rather vote for.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledView {
    #[serde(flatten)]
    pub item: ItemView,
    pub similar: Vec<SimilarView>,
}

/// An item to file.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "bug", "component": "compute", "title": "Live migration times out on large instances",
    "body": "Instances over 64 GiB fail to migrate within the default timeout.", "severity": "high",
    "release": "2026.1", "node_count": 120, "distribution": "Ubuntu 24.04", "tags": ["live-migration"]
}))]
pub struct SubmitFeedback {
    pub kind: FeedbackKind,
    /// A slug of `GET /v1/components`.
    pub component: String,
    #[schema(min_length = 5, max_length = 200, pattern = r"^\S([\s\S]*\S)?$")]
    pub title: String,
    #[schema(min_length = 10, max_length = 10000, pattern = r"^\S([\s\S]*\S)?$")]
    pub body: String,
    pub severity: Severity,
    #[schema(max_length = 100)]
    pub release: Option<String>,
    #[schema(minimum = 0, maximum = 10000000)]
    pub node_count: Option<i32>,
    #[schema(max_length = 100)]
    pub distribution: Option<String>,
    #[serde(default)]
    #[schema(max_items = 10, value_type = Vec<crate::openapi_values::Tag>)]
    pub tags: Vec<String>,
    /// A group the author organizes.
    pub group_id: Option<Uuid>,
    /// An event of that group.
    pub event_id: Option<Uuid>,
}

/// Filters and order of the item list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// Region slug.
    pub region: Option<String>,
    pub component: Option<String>,
    pub kind: Option<FeedbackKind>,
    pub status: Option<FeedbackStatus>,
    pub group: Option<Uuid>,
    /// Words in the title or body.
    pub q: Option<String>,
    pub sort: Option<ItemSort>,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ItemSort {
    /// Newest first (the default).
    Recent,
    /// Most votes first.
    Votes,
}

/// A vote, optionally on behalf of a group the voter organizes.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40"}))]
pub struct VoteRequest {
    pub group_id: Option<Uuid>,
}

/// A triage decision.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "forwarded", "upstream_url": "https://bugs.example.org/2071234", "note": "Filed upstream."}))]
pub struct TriageRequest {
    pub status: FeedbackStatus,
    /// Re-files the item under another component.
    pub component: Option<String>,
    /// Required with `duplicate`.
    pub duplicate_of: Option<Uuid>,
    /// Required with `rejected`; 1–2000 characters after trimming.
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub note: Option<String>,
    /// Required with `forwarded`: where the item went upstream.
    #[schema(value_type = Option<crate::openapi_values::HttpUrl>)]
    pub upstream_url: Option<String>,
}

/// One status change.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub from: String,
    pub to: String,
    pub note: Option<String>,
    pub changed_at: DateTime<Utc>,
}

impl From<HistoryEntry> for HistoryView {
    fn from(h: HistoryEntry) -> Self {
        Self {
            actor_id: h.actor_id,
            actor_name: h.actor_name,
            from: h.from_status,
            to: h.to_status,
            note: h.note,
            changed_at: h.changed_at,
        }
    }
}

/// The summary's parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// One or two of `component`, `region`, `kind`, `status`, `month`, `group`, comma-separated.
    #[param(value_type = SummaryGrouping)]
    pub group_by: String,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Region slug.
    pub region: Option<String>,
    pub kind: Option<FeedbackKind>,
}

/// The fields a summary groups by (`liaison_domain::feedback::parse_group_by`).
const SUMMARY_FIELDS: [&str; 6] = ["component", "region", "kind", "status", "month", "group"];

/// `SummaryGrouping`: one field, or two different ones, comma-separated.
pub struct SummaryGrouping;

impl SummaryGrouping {
    /// Every value: each field alone, then each ordered pair of two.
    pub fn values() -> Vec<String> {
        let one = SUMMARY_FIELDS.iter().map(|f| (*f).to_owned());
        let two = SUMMARY_FIELDS.iter().flat_map(|a| {
            SUMMARY_FIELDS
                .iter()
                .filter(move |b| *b != a)
                .map(move |b| format!("{a},{b}"))
        });
        one.chain(two).collect()
    }
}

impl utoipa::PartialSchema for SummaryGrouping {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "One or two different fields, comma-separated (`component,region`).",
            ))
            .enum_values(Some(Self::values()))
            .into()
    }
}

impl ToSchema for SummaryGrouping {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("SummaryGrouping")
    }
}

/// One bucket of the summary.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"key": {"component": "compute", "region": "europe"}, "items": 42, "votes": 310, "groups": 9, "regions": 1,
  "top": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0ea0", "title": "Live migration times out on large instances", "votes": 57}]}))]
pub struct BucketView {
    /// The bucket's value of each `group_by` field.
    pub key: serde_json::Map<String, serde_json::Value>,
    pub items: i64,
    pub votes: i64,
    /// Distinct groups the items came through.
    pub groups: i64,
    pub regions: i64,
    /// Up to 3 items, most votes first: `{id, title, votes}`.
    pub top: serde_json::Value,
}

impl BucketView {
    /// The bucket with its keys named after `fields`.
    pub fn new(b: Bucket, fields: &[&str]) -> Self {
        let mut key = serde_json::Map::new();
        for (name, value) in fields.iter().zip([b.key1, b.key2]) {
            key.insert(
                (*name).to_owned(),
                value.map_or(serde_json::Value::Null, Into::into),
            );
        }
        Self {
            key,
            items: b.items,
            votes: b.votes,
            groups: b.groups,
            regions: b.regions,
            top: b.top,
        }
    }
}

/// The similar-title lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// A title to compare, 3–200 characters (after trimming).
    #[param(pattern = r"^\s*\S[\s\S]{1,198}\S\s*$")]
    pub q: String,
}

#[cfg(test)]
mod tests {
    use super::SummaryGrouping;
    use liaison_domain::feedback::parse_group_by;

    #[test]
    fn the_documented_groupings_are_exactly_the_ones_parsed() {
        let values = SummaryGrouping::values();
        assert_eq!(values.len(), 36);
        assert!(values.iter().all(|v| parse_group_by(v).is_ok()));
        assert!(
            parse_group_by("kind,kind").is_err() && parse_group_by("kind,region,month").is_err()
        );
    }
}
