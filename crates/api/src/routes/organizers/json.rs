//! Organizers as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use liaison_domain::group::OrganizerRole;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::groups;

use crate::auth::Caller;

/// An organizer of a group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "role": "lead", "added_at": "2026-11-23T10:00:00Z"}))]
pub struct OrganizerView {
    pub member_id: Uuid,
    /// Null when the profile is private to the caller (only the answer to
    /// adding one can hold such an organizer; lists leave them out).
    pub display_name: Option<String>,
    pub role: OrganizerRole,
    pub added_at: DateTime<Utc>,
}

impl OrganizerView {
    /// The organizer as `caller` may see them: a private profile's name is
    /// shown only to its member and staff, as everywhere else.
    pub fn for_caller(caller: &Caller, o: &groups::Organizer) -> Self {
        Self::new(o, may_see(caller, o))
    }

    /// The organizer, with their name when `name_shown`.
    pub fn new(o: &groups::Organizer, name_shown: bool) -> Self {
        Self {
            member_id: o.member_id,
            display_name: name_shown.then(|| o.display_name.clone()),
            role: o.role,
            added_at: o.added_at,
        }
    }
}

fn may_see(caller: &Caller, o: &groups::Organizer) -> bool {
    let profile = Resource::Member {
        id: o.member_id,
        profile_public: o.profile_public,
    };
    can(&caller.actor, Action::Read, profile)
}

/// The organizers whose profiles `caller` may see (the directory counts the
/// others as `private_organizers`).
pub(crate) fn visible_organizers(
    caller: &Caller,
    organizers: Vec<groups::Organizer>,
) -> Vec<OrganizerView> {
    organizers
        .iter()
        .filter(|o| may_see(caller, o))
        .map(|o| OrganizerView::for_caller(caller, o))
        .collect()
}

/// A co-organizer to add.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12"}))]
pub struct AddOrganizer {
    pub member_id: Uuid,
}
