//! Decisions on translations as clients send them (translations themselves
//! are read as `routes::messages::json::TranslationView`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use liaison_domain::message::TranslationOutcome;

/// The author's or staff's decision on a proposed translation.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"outcome": "accepted", "note": "Merci !"}))]
pub struct TranslationDecision {
    pub outcome: TranslationOutcome,
    /// Shown to the translator; 1–2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub note: Option<String>,
}
