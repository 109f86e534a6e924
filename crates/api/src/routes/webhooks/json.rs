//! Webhook subscriptions and their deliveries as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use liaison_domain::outbox::DeliveryStatus;
use liaison_persistence::webhooks::{Delivery, Subscription};

use crate::routes::double_option;

/// An event type, as subscriptions list them (`liaison_domain::webhook::WebhookEvent`'s names;
/// the document test checks they agree).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub enum WebhookEventType {
    #[serde(rename = "event.created")]
    EventCreated,
    #[serde(rename = "event.updated")]
    EventUpdated,
    #[serde(rename = "event.cancelled")]
    EventCancelled,
    #[serde(rename = "group.status_changed")]
    GroupStatusChanged,
    #[serde(rename = "pass.issued")]
    PassIssued,
    #[serde(rename = "pass.redeemed")]
    PassRedeemed,
    #[serde(rename = "pass.revoked")]
    PassRevoked,
    #[serde(rename = "feedback.status_changed")]
    FeedbackStatusChanged,
    #[serde(rename = "message.published")]
    MessagePublished,
    #[serde(rename = "webhook.ping")]
    WebhookPing,
}

/// A subscription to create.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"url": "https://lyon-operators.example/hooks/liaison",
    "events": ["event.created", "event.updated", "event.cancelled"],
    "group_ids": ["0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40"], "region": "europe"}))]
pub struct CreateWebhook {
    /// An https URL (http too where the deployer allows private targets).
    #[schema(value_type = crate::openapi_values::WebhookUrl)]
    pub url: String,
    /// Event types, 1–20.
    #[schema(value_type = Vec<WebhookEventType>, min_items = 1, max_items = 20)]
    pub events: Vec<String>,
    /// Only events of these groups (an organizer must name groups they organize); empty: all.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub group_ids: Vec<Uuid>,
    /// Only events of this region (slug).
    pub region: Option<String>,
}

/// Changes to a subscription; absent fields stay, `region: null` clears it,
/// `enabled: true` re-enables a disabled one.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"events": ["event.created"], "enabled": true}))]
pub struct WebhookPatch {
    #[schema(value_type = Option<crate::openapi_values::WebhookUrl>)]
    pub url: Option<String>,
    #[schema(value_type = Option<Vec<WebhookEventType>>, min_items = 1, max_items = 20)]
    pub events: Option<Vec<String>>,
    #[schema(max_items = 100)]
    pub group_ids: Option<Vec<Uuid>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub region: Option<Option<String>>,
    pub enabled: Option<bool>,
}

/// Why a subscription stopped receiving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// The receiver answered 410 Gone.
    Gone,
    /// Deliveries failed for 3 days.
    Failing,
    /// Its owner or an admin disabled it.
    ByOwner,
}

/// A subscription (its secret is shown once, at creation).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e41", "owner_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e42",
    "url": "https://lyon-operators.example/hooks/liaison", "events": ["event.created"],
    "group_ids": ["0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40"], "region": null, "enabled": true,
    "disabled_reason": null, "failing_since": null,
    "created_at": "2026-12-01T12:00:00Z", "updated_at": "2026-12-01T12:00:00Z"}))]
pub struct WebhookView {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub url: String,
    #[schema(value_type = Vec<WebhookEventType>)]
    pub events: Vec<String>,
    pub group_ids: Vec<Uuid>,
    /// Region slug.
    pub region: Option<String>,
    pub enabled: bool,
    #[schema(value_type = Option<DisabledReason>)]
    pub disabled_reason: Option<String>,
    /// Since when deliveries fail (3 days of it disables the subscription).
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Subscription> for WebhookView {
    fn from(s: Subscription) -> Self {
        Self {
            id: s.id,
            owner_id: s.owner_id,
            url: s.url,
            events: s.events,
            group_ids: s.group_ids,
            region: s.region,
            enabled: s.enabled,
            disabled_reason: s.disabled_reason,
            failing_since: s.failing_since,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A new subscription, with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e41", "owner_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e42",
    "url": "https://lyon-operators.example/hooks/liaison", "events": ["event.created"], "group_ids": [], "region": null,
    "enabled": true, "disabled_reason": null, "failing_since": null,
    "created_at": "2026-12-01T12:00:00Z", "updated_at": "2026-12-01T12:00:00Z",
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAAAAAA="}))]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_` and base64: verify signatures with it. Shown only here.
    pub secret: String,
}

/// One delivery: the outbox row and how its attempts went.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e43", "event": "event.created", "status": "sent",
    "attempts": 1, "last_response_code": 200, "last_error": null, "next_attempt_at": "2026-12-01T12:00:00Z",
    "created_at": "2026-12-01T12:00:00Z", "sent_at": "2026-12-01T12:00:01Z",
    "payload": {"type": "event.created", "timestamp": "2026-12-01T12:00:00Z", "data": {}}}))]
pub struct DeliveryView {
    /// The `webhook-id` header: the same on every attempt.
    pub id: Uuid,
    #[schema(value_type = WebhookEventType)]
    pub event: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The HTTP status of the latest attempt (`null`: no answer, refused, timed out).
    pub last_response_code: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The body sent.
    pub payload: serde_json::Value,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            event: d.topic,
            status: d.status,
            attempts: d.attempts,
            last_response_code: d.last_response_code,
            last_error: d.last_error,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            sent_at: d.sent_at,
            payload: d.payload,
        }
    }
}
