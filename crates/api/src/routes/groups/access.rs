//! Who may see a group: the one place the list queries' viewer and the
//! policy's view of a group are built.

use sea_orm::ConnectionTrait;

use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::Actor;
use liaison_persistence::groups::{self, Group, Viewer};

use crate::auth::Caller;
use crate::error::ApiError;

/// Who is looking, for the list queries' visibility rule.
pub fn viewer_of(actor: &Actor) -> Viewer {
    match actor.member() {
        Some(m) => Viewer {
            staff: m.is_staff(),
            member: Some(m.id),
            ambassador_of: m.ambassador_of.iter().copied().collect(),
        },
        None => Viewer::default(),
    }
}

/// The policy's view of a group for this caller.
pub async fn resource_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    g: &Group,
) -> Result<Resource, ApiError> {
    let caller_organizes = match caller.actor.member() {
        Some(m) => groups::is_organizer(db, g.id, m.id).await?,
        None => false,
    };
    Ok(Resource::Group {
        status: g.status,
        region: g.region_id,
        caller_organizes,
    })
}

/// Loads a group the caller may see (else 404), with the policy's view of it.
pub async fn visible_group(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id_or_slug: &str,
    lock: bool,
) -> Result<(Group, Resource), ApiError> {
    let g = groups::find(db, id_or_slug, lock)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = resource_of(db, caller, &g).await?;
    if can(&caller.actor, Action::Read, resource) {
        Ok((g, resource))
    } else {
        Err(ApiError::NotFound)
    }
}
