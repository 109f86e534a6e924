//! Regions as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use liaison_persistence::regions::Region;

/// A region.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e13", "slug": "europe", "name": "Europe", "countries": ["DE", "FR", "GB"],
    "ambassador_seats": 3, "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct RegionView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// ISO 3166-1 alpha-2 codes, sorted.
    pub countries: Vec<String>,
    /// Seats per ambassador cycle (a cycle's default).
    pub ambassador_seats: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Region> for RegionView {
    fn from(r: Region) -> Self {
        Self {
            id: r.id,
            slug: r.slug,
            name: r.name,
            countries: r.countries,
            ambassador_seats: r.ambassador_seats,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A region to create.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"slug": "europe", "name": "Europe", "countries": ["FR", "DE", "GB"], "ambassador_seats": 3}))]
pub struct CreateRegion {
    /// `[a-z0-9-]{2,64}`.
    #[schema(
        pattern = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: String,
    /// 2–100 characters.
    #[schema(min_length = 2, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: String,
    /// ISO 3166-1 alpha-2 codes, none already in another region.
    #[serde(default)]
    #[schema(schema_with = crate::openapi_values::country_set)]
    pub countries: Vec<String>,
    /// 0–1000.
    #[schema(minimum = 0, maximum = 1000)]
    pub ambassador_seats: i32,
}

/// A region as a CSV row.
#[derive(Serialize)]
pub(crate) struct RegionCsv {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub countries: String,
    pub ambassador_seats: i32,
}

/// Changes to a region; absent fields stay. `countries` replaces the list.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"ambassador_seats": 4, "countries": ["DE", "FR", "GB", "IE"]}))]
pub struct RegionPatch {
    #[schema(min_length = 2, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: Option<String>,
    #[schema(schema_with = crate::openapi_values::optional_country_set)]
    pub countries: Option<Vec<String>>,
    #[schema(minimum = 0, maximum = 1000)]
    pub ambassador_seats: Option<i32>,
}
