use sea_orm::ConnectionTrait;
use uuid::Uuid;

use liaison_domain::policy::{can, Action};
use liaison_persistence::events::{self, Event};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::groups::access::visible_group;

pub(crate) async fn organised_event(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Event, ApiError> {
    let e = events::find(db, id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (_, resource) = visible_group(db, caller, &e.group_id.to_string(), false).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers change its events",
        ));
    }
    Ok(e)
}
