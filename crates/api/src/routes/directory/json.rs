//! The directory as clients read it.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::routes::groups::json::GroupView;
use crate::routes::organizers::json::OrganizerView;

/// The directory for one country.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// ISO 3166-1 alpha-2 (required).
    #[param(value_type = crate::openapi_values::CountryCode)]
    pub country: String,
}

/// A region in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryRegion {
    pub slug: String,
    pub name: String,
}

/// An ambassador in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryAmbassador {
    pub member_id: Uuid,
    pub display_name: String,
    pub term_end: chrono::NaiveDate,
}

/// A group in the directory, with its organizers' public profiles.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryGroup {
    #[serde(flatten)]
    pub group: GroupView,
    /// Organizers with public profiles (others are counted, not named).
    pub organizers: Vec<OrganizerView>,
    /// Organizers whose profiles are private.
    pub private_organizers: usize,
}

/// Everything about one country: its region, the region's ambassadors, its groups.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "country": "FR", "region": {"slug": "europe", "name": "Europe"},
    "ambassadors": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "term_end": "2027-12-01"}],
    "groups": [{"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "slug": "lyon-operators", "name": "Lyon Operators", "country": "FR", "city": "Lyon",
      "region": "europe", "description": "", "links": [], "coc_accepted": true, "status": "official", "status_reason": null,
      "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z",
      "organizers": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "role": "lead", "added_at": "2026-11-23T10:00:00Z"}],
      "private_organizers": 0}]
}))]
pub struct DirectoryView {
    pub country: String,
    pub region: Option<DirectoryRegion>,
    pub ambassadors: Vec<DirectoryAmbassador>,
    pub groups: Vec<DirectoryGroup>,
}
