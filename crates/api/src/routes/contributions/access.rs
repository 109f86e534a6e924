use sea_orm::ConnectionTrait;

use liaison_domain::policy::Resource;
use liaison_persistence::contributions::Contribution;
use liaison_persistence::contributions::ContributionScope;
use liaison_persistence::groups;

use crate::auth::Caller;
use crate::error::ApiError;

pub(crate) async fn resource_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    c: &Contribution,
) -> Result<Resource, ApiError> {
    let caller_organizes_group = match (caller.actor.member(), c.group_id) {
        (Some(m), Some(g)) => groups::is_organizer(db, g, m.id).await?,
        _ => false,
    };
    Ok(Resource::Contribution {
        member: c.member_id,
        member_region: c.member_region,
        group_region: c.group_region,
        caller_organizes_group,
    })
}

pub(crate) async fn scope_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<ContributionScope, ApiError> {
    let me = caller.member()?;
    Ok(ContributionScope {
        staff: me.is_staff(),
        member: me.id,
        ambassador_of: me.ambassador_of.iter().copied().collect(),
        organises: groups::organised_by(db, me.id).await?,
    })
}
