//! Contribution kinds as clients send and read them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A contribution kind.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"slug": "talk_given", "name": "Talk given", "description": "Spoke at a meetup, summit or conference"}))]
pub struct KindView {
    /// `[a-z][a-z0-9_]{1,63}`.
    #[schema(pattern = r"^[a-z][a-z0-9_]{1,63}$")]
    pub slug: String,
    #[schema(min_length = 2, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub description: String,
}
