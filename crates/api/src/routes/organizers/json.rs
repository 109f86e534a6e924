//! Organizers as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::groups;

use crate::auth::Caller;

/// An organizer of a group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "role": "lead", "added_at": "2026-11-23T10:00:00Z"}))]
pub struct OrganizerView {
    pub member_id: Uuid,
    pub display_name: String,
    /// `lead` or `co`.
    pub role: String,
    pub added_at: DateTime<Utc>,
}

impl From<&groups::Organizer> for OrganizerView {
    fn from(o: &groups::Organizer) -> Self {
        Self {
            member_id: o.member_id,
            display_name: o.display_name.clone(),
            role: o.role.clone(),
            added_at: o.added_at,
        }
    }
}

/// The organizers whose profiles `caller` may see: a private profile is
/// shown only to its member and staff, as everywhere else.
pub(crate) fn visible_organizers(
    caller: &Caller,
    organizers: Vec<groups::Organizer>,
) -> Vec<OrganizerView> {
    organizers
        .iter()
        .filter(|o| {
            can(
                &caller.actor,
                Action::Read,
                Resource::Member {
                    id: o.member_id,
                    profile_public: o.profile_public,
                },
            )
        })
        .map(OrganizerView::from)
        .collect()
}

/// A co-organizer to add.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12"}))]
pub struct AddOrganizer {
    pub member_id: Uuid,
}
