//! Events as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::event::{EventInput, EventStatus};
use liaison_persistence::events::{Event, EventFields};

/// An event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50", "group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "source": "meetup",
    "external_id": "305112233", "title": "Running upgrades without downtime", "description": "Talks and pizza.",
    "starts_at": "2026-12-10T18:00:00Z", "ends_at": "2026-12-10T21:00:00Z", "venue": "La Cordée", "city": "Lyon",
    "country": "FR", "online": false, "url": "https://example.org/events/305112233", "status": "scheduled",
    "rsvp_count": 84, "attendee_count": null, "timezone": "Europe/Paris", "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct EventView {
    pub id: Uuid,
    pub group_id: Uuid,
    /// `manual`, or the site the event comes from.
    pub source: String,
    /// The event's id on its site (generated for manual events).
    pub external_id: String,
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub online: bool,
    pub url: Option<String>,
    pub status: EventStatus,
    pub rsvp_count: Option<i32>,
    /// Set when held.
    pub attendee_count: Option<i32>,
    /// IANA zone the times are shown in to attendees (calendars use it).
    #[schema(example = "Europe/Paris")]
    pub timezone: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Event> for EventView {
    fn from(e: Event) -> Self {
        Self {
            id: e.id,
            group_id: e.group_id,
            source: e.source,
            external_id: e.external_id,
            title: e.title,
            description: e.description,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            venue: e.venue,
            city: e.city,
            country: e.country,
            online: e.online,
            url: e.url,
            status: e.status,
            rsvp_count: e.rsvp_count,
            attendee_count: e.attendee_count,
            timezone: e.timezone,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An event as sent by a client.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "external_id": "305112233", "title": "Running upgrades without downtime", "starts_at": "2026-12-10T18:00:00Z",
    "ends_at": "2026-12-10T21:00:00Z", "venue": "La Cordée", "city": "Lyon", "country": "FR",
    "url": "https://example.org/events/305112233", "status": "scheduled", "rsvp_count": 84, "timezone": "Europe/Paris"
}))]
pub struct EventInputDto {
    /// The event's id on its site; required in a sync, generated for manual events.
    #[schema(min_length = 1, max_length = 200)]
    pub external_id: Option<String>,
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`.
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[schema(value_type = Option<crate::openapi_values::CountryCode>)]
    pub country: Option<String>,
    #[serde(default)]
    pub online: bool,
    #[schema(value_type = Option<crate::openapi_values::WebLink>)]
    pub url: Option<String>,
    /// Default `scheduled`.
    pub status: Option<EventStatus>,
    #[schema(minimum = 0, maximum = 1000000)]
    pub rsvp_count: Option<i32>,
    /// Only on a held event.
    #[schema(minimum = 0, maximum = 1000000)]
    pub attendee_count: Option<i32>,
    /// IANA zone (`Europe/Paris`); default `UTC`. A name the IANA database lacks is a 422.
    #[schema(min_length = 1, max_length = 64, example = "Europe/Paris")]
    pub timezone: Option<String>,
}

impl From<EventInputDto> for EventInput {
    fn from(d: EventInputDto) -> Self {
        Self {
            external_id: d.external_id,
            title: d.title,
            description: d.description,
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            venue: d.venue,
            city: d.city,
            country: d.country,
            online: d.online,
            url: d.url,
            status: d.status.unwrap_or(EventStatus::Scheduled),
            rsvp_count: d.rsvp_count,
            attendee_count: d.attendee_count,
            timezone: d.timezone,
        }
    }
}

pub(crate) fn fields_of(e: EventInput, external_id: String) -> EventFields {
    EventFields {
        external_id,
        title: e.title,
        description: e.description,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        venue: e.venue,
        city: e.city,
        country: e.country,
        online: e.online,
        url: e.url,
        status: e.status,
        rsvp_count: e.rsvp_count,
        attendee_count: e.attendee_count,
        // `check` always sets it; the default only keeps this total.
        timezone: e
            .timezone
            .unwrap_or_else(|| liaison_domain::event::DEFAULT_TIMEZONE.to_owned()),
    }
}

/// Changes to an event; absent fields stay.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "held", "attendee_count": 96}))]
pub struct EventPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub venue: Option<String>,
    pub city: Option<String>,
    #[schema(value_type = Option<crate::openapi_values::CountryCode>)]
    pub country: Option<String>,
    pub online: Option<bool>,
    #[schema(value_type = Option<crate::openapi_values::WebLink>)]
    pub url: Option<String>,
    pub status: Option<EventStatus>,
    #[schema(minimum = 0, maximum = 1000000)]
    pub rsvp_count: Option<i32>,
    #[schema(minimum = 0, maximum = 1000000)]
    pub attendee_count: Option<i32>,
    /// IANA zone, e.g. `Europe/Paris`.
    #[schema(min_length = 1, max_length = 64, example = "Europe/Paris")]
    pub timezone: Option<String>,
}

/// A batch of events from a group's website.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "source": "meetup", "mode": "snapshot",
    "events": [{"external_id": "305112233", "title": "Running upgrades without downtime", "starts_at": "2026-12-10T18:00:00Z",
                "ends_at": "2026-12-10T21:00:00Z", "city": "Lyon", "country": "FR", "status": "scheduled", "rsvp_count": 84}]
}))]
pub struct SyncRequest {
    /// The site's name, e.g. `meetup` (not `manual`): 2–40 characters of a-z, 0-9, `-` and `_`.
    #[schema(pattern = r"^[a-z0-9_-]{2,40}$")]
    pub source: String,
    /// `upsert`, or `snapshot` (future events of the source missing from the batch are cancelled).
    pub mode: SyncModeDto,
    /// Up to 1000 events, each with its `external_id`.
    #[schema(value_type = Vec<SyncedEvent>)]
    pub events: Vec<serde_json::Value>,
}

/// How a sync treats events missing from the batch.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SyncModeDto {
    Upsert,
    Snapshot,
}

/// What a sync did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"created": 12, "updated": 1, "unchanged": 87, "cancelled": 2}))]
pub struct SyncResult {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub cancelled: i64,
}

/// One change in the feed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 4711, "kind": "updated", "event_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50", "group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40",
    "changed_at": "2026-11-23T10:00:00Z", "event": {"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50", "status": "held"}
}))]
pub struct ChangeView {
    /// Unique and stable: the same change always has the same id, so a
    /// reader that re-reads a page can de-duplicate on it.
    pub id: i64,
    /// `created`, `updated`, `cancelled` or `deleted`.
    pub kind: String,
    pub event_id: Uuid,
    pub group_id: Uuid,
    pub changed_at: DateTime<Utc>,
    /// The event after the change; null for a deletion.
    pub event: Option<EventView>,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePage {
    pub items: Vec<ChangeView>,
    /// Always present: pass it back to continue (also when `items` is empty).
    pub next_cursor: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The `next_cursor` of the previous call; omit to start from the beginning.
    pub cursor: Option<String>,
    /// 1–1000 (default 200).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Only this group's changes.
    pub group: Option<Uuid>,
    /// Only the changes of this region's groups (slug).
    pub region: Option<String>,
}

/// `SyncedEvent`: an event of a sync, which names its `external_id`.
pub struct SyncedEvent;

impl utoipa::PartialSchema for SyncedEvent {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Type};
        AllOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name("EventInputDto"))
            .item(
                ObjectBuilder::new().required("external_id").property(
                    "external_id",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(200)),
                ),
            )
            .description(Some("An event of a sync: `external_id` is required."))
            .into()
    }
}

impl ToSchema for SyncedEvent {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("SyncedEvent")
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            EventInputDto::name().into_owned(),
            <EventInputDto as utoipa::PartialSchema>::schema(),
        ));
    }
}
