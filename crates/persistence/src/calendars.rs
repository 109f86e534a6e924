//! Calendar feeds and the members' calendar tokens. Each feed is one
//! statement over `events`; a feed holds the events that ended in the last
//! year and all later ones, so a subscription stays small over the years.

use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::events::{Event, COLUMNS};
use crate::groups::Viewer;
use crate::stmt;

/// How far back a feed reaches.
const HORIZON: &str = "ends_at > now() - interval '1 year'";

/// A group's events by start time.
pub async fn group_events(db: &impl ConnectionTrait, group: Uuid) -> Result<Vec<Event>, Error> {
    Ok(Event::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM events WHERE group_id = $1 AND {HORIZON} ORDER BY starts_at, id"
        ),
        vec![group.into()],
    ))
    .all(db)
    .await?)
}

/// The events of a region's groups that the viewer may see, by start time.
pub async fn region_events(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    region: Uuid,
) -> Result<Vec<Event>, Error> {
    Ok(Event::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM events
             WHERE group_id IN (
                 SELECT g.id FROM groups g
                 WHERE g.region_id = $4
                   AND (g.status IN ('provisional', 'official', 'inactive') OR $1 OR g.region_id = ANY($3::uuid[])
                        OR EXISTS (SELECT 1 FROM group_organizers vo WHERE vo.group_id = g.id AND vo.member_id = $2)))
               AND {HORIZON}
             ORDER BY starts_at, id"
        ),
        vec![
            viewer.staff.into(),
            viewer.member.into(),
            viewer.ambassador_of.clone().into(),
            region.into(),
        ],
    ))
    .all(db)
    .await?)
}

/// The events of every group the member organises, by start time.
pub async fn organised_events(
    db: &impl ConnectionTrait,
    member: Uuid,
) -> Result<Vec<Event>, Error> {
    Ok(Event::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM events
             WHERE group_id IN (SELECT o.group_id FROM group_organizers o WHERE o.member_id = $1) AND {HORIZON}
             ORDER BY starts_at, id"
        ),
        vec![member.into()],
    ))
    .all(db)
    .await?)
}

/// The holder of a calendar token, found by its hash.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct TokenHolder {
    pub member_id: Uuid,
    pub display_name: String,
}

/// Who holds the token of this hash, if anyone.
pub async fn holder(
    db: &impl ConnectionTrait,
    token_hash: Vec<u8>,
) -> Result<Option<TokenHolder>, Error> {
    Ok(TokenHolder::find_by_statement(stmt(
        "SELECT t.member_id, m.display_name FROM calendar_tokens t JOIN members m ON m.id = t.member_id
         WHERE t.token_hash = $1",
        vec![token_hash.into()],
    ))
    .one(db)
    .await?)
}

/// Stores a member's new token hash, replacing any earlier one.
pub async fn replace_token(
    db: &impl ConnectionTrait,
    member: Uuid,
    token_hash: Vec<u8>,
) -> Result<(), Error> {
    db.execute(stmt(
        "INSERT INTO calendar_tokens (member_id, token_hash) VALUES ($1, $2)
         ON CONFLICT (member_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()",
        vec![member.into(), token_hash.into()],
    ))
    .await?;
    Ok(())
}

/// Revokes a member's token; whether there was one.
pub async fn revoke_token(db: &impl ConnectionTrait, member: Uuid) -> Result<bool, Error> {
    let done = db
        .execute(stmt(
            "DELETE FROM calendar_tokens WHERE member_id = $1",
            vec![member.into()],
        ))
        .await?;
    Ok(done.rows_affected() > 0)
}
