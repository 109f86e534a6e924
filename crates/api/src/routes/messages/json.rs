//! Key messages, acknowledgements, translations and translators as clients
//! send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::message::TranslationStatus;
use liaison_persistence::messages::{
    Acknowledgement, RegionAcknowledgements, Translation, Translator,
};

use crate::routes::double_option;

/// Every region, as an audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllRegions {
    All,
}

/// Who a message is for: `"all"` (staff only), or region slugs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
#[schema(example = json!(["europe", "africa"]))]
pub enum AudienceDto {
    /// Every region's groups.
    All(AllRegions),
    /// The groups of these regions (slugs of `GET /v1/regions`), 1–100.
    #[schema(value_type = crate::openapi_values::RegionSlugs)]
    Regions(Vec<String>),
}

/// A key message to publish. `body` is Markdown, stored exactly as sent and
/// never rendered to HTML by the server: frontends render it (and sanitise
/// it as they would any Markdown from people).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "title": "The 2027.1 release is out: help your users upgrade",
    "body": "## What changed\n\n- Live migration of large instances\n- A new dashboard\n\nPlease share the upgrade guide at your next meetup.",
    "link": "https://example.org/releases/2027.1", "language": "en", "audience": ["europe", "africa"],
    "expires_at": "2027-03-01T00:00:00Z", "languages": ["fr", "de", "pt-BR"]
}))]
pub struct CreateMessage {
    /// 5–200 characters (trimmed).
    #[schema(min_length = 5, max_length = 200)]
    pub title: String,
    /// Markdown, 1–20,000 characters, stored as sent and never rendered by the server.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// An http(s) URL.
    #[schema(value_type = Option<crate::openapi_values::HttpUrl>)]
    pub link: Option<String>,
    /// The language the message is written in (BCP 47), if known: readers
    /// asking for it get the original.
    #[schema(value_type = Option<crate::openapi_values::LanguageTag>)]
    pub language: Option<String>,
    pub audience: AudienceDto,
    /// In the future; after it the message leaves the groups' feeds.
    pub expires_at: Option<DateTime<Utc>>,
    /// Languages it asks to be translated into (BCP 47), at most 20.
    #[serde(default)]
    #[schema(max_items = 20, value_type = Vec<crate::openapi_values::LanguageTag>)]
    pub languages: Vec<String>,
}

/// Changes to a message; absent fields stay, `null` clears `link` and `expires_at`.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"title": "The 2027.1 release is out: upgrade guide inside", "expires_at": null, "languages": ["fr", "de"]}))]
pub struct MessagePatch {
    #[schema(min_length = 5, max_length = 200)]
    pub title: Option<String>,
    /// Markdown, stored as sent and never rendered by the server.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: Option<String>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<crate::openapi_values::HttpUrl>)]
    pub link: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    #[schema(max_items = 20, value_type = Option<Vec<crate::openapi_values::LanguageTag>>)]
    pub languages: Option<Vec<String>>,
}

/// A group among a region's, by name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupRef {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

/// How a targeted region's active groups (provisional, official) took a message.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"region": "europe", "groups": 3, "acknowledged": 2,
    "not_acknowledged": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators", "name": "Lyon Operators"}]}))]
pub struct RegionAcknowledgementsView {
    /// Region slug.
    pub region: String,
    /// Its active groups.
    pub groups: i64,
    /// Those that acknowledged.
    pub acknowledged: i64,
    /// Those that did not, by slug.
    #[schema(value_type = Vec<GroupRef>)]
    pub not_acknowledged: serde_json::Value,
}

impl From<RegionAcknowledgements> for RegionAcknowledgementsView {
    fn from(r: RegionAcknowledgements) -> Self {
        Self {
            region: r.region,
            groups: r.groups,
            acknowledged: r.acknowledged,
            not_acknowledged: r.not_acknowledged,
        }
    }
}

/// A key message, in the language the reader's `Accept-Language` chose.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0f01", "author_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
    "title": "La version 2027.1 est sortie : aidez vos utilisateurs à migrer",
    "body": "## Ce qui change\n\n- Migration à chaud des grandes instances\n- Un nouveau tableau de bord",
    "link": "https://example.org/releases/2027.1", "audience": ["africa", "europe"],
    "language": "fr", "original_language": "en", "translation_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0f02",
    "available_languages": ["fr"], "languages": ["fr", "de", "pt-BR"],
    "expires_at": "2027-03-01T00:00:00Z", "active": true,
    "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-01T10:00:00Z",
    "acknowledgements": [{"region": "europe", "groups": 3, "acknowledged": 2,
        "not_acknowledged": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators", "name": "Lyon Operators"}]}]
}))]
pub struct MessageView {
    pub id: Uuid,
    pub author_id: Uuid,
    /// In `language`.
    pub title: String,
    /// Markdown in `language`, as its writer sent it; never rendered by the server.
    pub body: String,
    pub link: Option<String>,
    /// `"all"`, or the targeted regions' slugs.
    pub audience: AudienceDto,
    /// The language of `title` and `body` (also in `Content-Language`):
    /// a translation's, else the original's; null for an original whose
    /// language the author did not give.
    pub language: Option<String>,
    /// The original's language, if the author gave it.
    pub original_language: Option<String>,
    /// The accepted translation served; null for the original.
    pub translation_id: Option<Uuid>,
    /// Languages of the accepted translations.
    pub available_languages: Vec<String>,
    /// Languages the message asks to be translated into.
    pub languages: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Not expired.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// For the author and staff: per targeted region, how its active groups took the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledgements: Option<Vec<RegionAcknowledgementsView>>,
}

/// A message on a group's feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupMessageView {
    #[serde(flatten)]
    pub message: MessageView,
    /// Whether this group acknowledged it.
    pub acknowledged: bool,
}

/// Filters of the message list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Region slug: messages whose audience includes it (all-region ones included).
    pub region: Option<String>,
    /// `true`: unexpired only; `false`: expired only.
    pub active: Option<bool>,
}

/// An acknowledgement on behalf of a group.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40"}))]
pub struct AcknowledgeRequest {
    /// A group the caller organizes, in the message's audience.
    pub group_id: Uuid,
}

/// A group's acknowledgement of a message.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"message_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0f01", "group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40",
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "acknowledged_at": "2026-12-02T18:30:00Z"}))]
pub struct AcknowledgementView {
    pub message_id: Uuid,
    pub group_id: Uuid,
    /// The organizer who acknowledged first.
    pub member_id: Uuid,
    pub acknowledged_at: DateTime<Utc>,
}

impl From<Acknowledgement> for AcknowledgementView {
    fn from(a: Acknowledgement) -> Self {
        Self {
            message_id: a.message_id,
            group_id: a.group_id,
            member_id: a.member_id,
            acknowledged_at: a.acknowledged_at,
        }
    }
}

/// A translation to propose.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"language": "fr", "title": "La version 2027.1 est sortie : aidez vos utilisateurs à migrer",
    "body": "## Ce qui change\n\n- Migration à chaud des grandes instances\n- Un nouveau tableau de bord"}))]
pub struct ProposeTranslation {
    /// BCP 47, not the original's language.
    #[schema(value_type = crate::openapi_values::LanguageTag)]
    pub language: String,
    #[schema(min_length = 5, max_length = 200)]
    pub title: String,
    /// Markdown, stored as sent and never rendered by the server.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
}

/// A proposed, accepted or rejected translation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0f02", "message_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0f01",
    "language": "fr", "title": "La version 2027.1 est sortie : aidez vos utilisateurs à migrer",
    "body": "## Ce qui change\n\n- Migration à chaud des grandes instances", "translator_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e13",
    "status": "accepted", "decided_by": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "decided_at": "2026-12-03T09:00:00Z",
    "note": "Merci !", "created_at": "2026-12-02T09:00:00Z"}))]
pub struct TranslationView {
    pub id: Uuid,
    pub message_id: Uuid,
    pub language: String,
    pub title: String,
    /// Markdown, as the translator sent it.
    pub body: String,
    pub translator_id: Uuid,
    pub status: TranslationStatus,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The decision's note.
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Translation> for TranslationView {
    fn from(t: Translation) -> Self {
        Self {
            id: t.id,
            message_id: t.message_id,
            language: t.language,
            title: t.title,
            body: t.body,
            translator_id: t.translator_id,
            status: t.status,
            decided_by: t.decided_by,
            decided_at: t.decided_at,
            note: t.decision_note,
            created_at: t.created_at,
        }
    }
}

/// Filters of the translation list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TranslationQuery {
    pub status: Option<TranslationStatus>,
}

/// The translator search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TranslatorQuery {
    /// BCP 47 tag (`fr`; `fr` also finds `fr-CA` speakers and `fr-CA` finds `fr` ones).
    #[param(value_type = crate::openapi_values::LanguageTag)]
    pub language: String,
}

/// A volunteer who could translate the message.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e13", "display_name": "Camille", "country": "FR", "city": "Lyon",
    "languages": ["fr", "en"], "skills": ["translation", "operations"]}))]
pub struct TranslatorView {
    pub id: Uuid,
    pub display_name: String,
    pub country: Option<String>,
    pub city: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
}

impl From<Translator> for TranslatorView {
    fn from(t: Translator) -> Self {
        Self {
            id: t.id,
            display_name: t.display_name,
            country: t.country,
            city: t.city,
            languages: t.languages,
            skills: t.skills,
        }
    }
}
