//! Components as clients send and read them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use liaison_persistence::feedback::Component;

/// A component of the software.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"slug": "compute", "name": "Compute", "description": "Virtual machines and their scheduling"}))]
pub struct ComponentView {
    #[schema(
        pattern = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: String,
    #[schema(min_length = 2, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub description: String,
}

impl From<Component> for ComponentView {
    fn from(c: Component) -> Self {
        Self {
            slug: c.slug,
            name: c.name,
            description: c.description,
        }
    }
}
