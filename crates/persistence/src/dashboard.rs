//! What waits on a region's ambassadors (`domain.md` "Region dashboard"):
//! one statement per panel, each answering its total and its first rows,
//! whatever the region's size. The ambassadors come from `ambassadorships::list`.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::stmt;

/// A group registration waiting for review.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct PendingGroup {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub created_at: DateTime<Utc>,
    /// All pending registrations of the region, not only those returned.
    pub total: i64,
}

/// The region's pending registrations, oldest first, at most `limit`.
pub async fn pending_groups(
    db: &impl ConnectionTrait,
    region: Uuid,
    limit: u64,
) -> Result<Vec<PendingGroup>, Error> {
    Ok(PendingGroup::find_by_statement(stmt(
        "SELECT id, slug, name, country, city, created_at, count(*) OVER () AS total
         FROM groups WHERE region_id = $1 AND status = 'pending'
         ORDER BY created_at, id LIMIT $2",
        vec![region.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// An active group with what its health flags are computed from.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct GroupActivity {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub held_last_180_days: i64,
    pub upcoming: i64,
    pub organizers: i64,
}

/// The region's active groups (provisional, official) by slug, with the
/// inputs of `group::health_flags` only: three index range counts per group,
/// not the whole health, which scans every event of every group.
pub async fn group_activity(
    db: &impl ConnectionTrait,
    region: Uuid,
) -> Result<Vec<GroupActivity>, Error> {
    Ok(GroupActivity::find_by_statement(stmt(
        "SELECT g.id, g.slug, g.name,
           (SELECT count(*) FROM events e WHERE e.group_id = g.id AND e.status = 'held'
              AND e.starts_at >= now() - interval '180 days' AND e.starts_at <= now()) AS held_last_180_days,
           (SELECT count(*) FROM events e WHERE e.group_id = g.id AND e.status = 'scheduled' AND e.starts_at > now()) AS upcoming,
           (SELECT count(*) FROM group_organizers o WHERE o.group_id = g.id) AS organizers
         FROM groups g WHERE g.region_id = $1 AND g.status IN ('provisional', 'official') ORDER BY g.slug",
        vec![region.into()],
    ))
    .all(db)
    .await?)
}

/// A feedback item nobody has triaged yet.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct UntriagedItem {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub component: String,
    pub severity: String,
    pub created_at: DateTime<Utc>,
    pub total: i64,
}

/// The region's feedback still `new`, oldest first, at most `limit`.
pub async fn untriaged_feedback(
    db: &impl ConnectionTrait,
    region: Uuid,
    limit: u64,
) -> Result<Vec<UntriagedItem>, Error> {
    Ok(UntriagedItem::find_by_statement(stmt(
        // Both the page and the total read the partial index of `new` items.
        "SELECT id, title, kind, component, severity, created_at,
                (SELECT count(*) FROM feedback n WHERE n.region_id = $1 AND n.status = 'new') AS total
         FROM feedback WHERE region_id = $1 AND status = 'new'
         ORDER BY created_at, id LIMIT $2",
        vec![region.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// A claim waiting for verification.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct PendingClaim {
    pub id: Uuid,
    pub member_id: Uuid,
    pub display_name: String,
    pub kind: String,
    pub title: String,
    pub occurred_on: NaiveDate,
    pub group_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub total: i64,
}

/// Pending claims of the region's members or groups (those its ambassadors
/// verify), oldest first, at most `limit`.
pub async fn pending_claims(
    db: &impl ConnectionTrait,
    region: Uuid,
    limit: u64,
) -> Result<Vec<PendingClaim>, Error> {
    Ok(PendingClaim::find_by_statement(stmt(
        "SELECT c.id, c.member_id, m.display_name, c.kind, c.title, c.occurred_on, c.group_id, c.created_at,
                count(*) OVER () AS total
         FROM contributions c JOIN members m ON m.id = c.member_id
         LEFT JOIN region_countries rc ON rc.country = m.country
         LEFT JOIN groups g ON g.id = c.group_id
         WHERE c.status = 'pending' AND (rc.region_id = $1 OR g.region_id = $1)
         ORDER BY c.created_at, c.id LIMIT $2",
        vec![region.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// An active group and the live messages to its region it has not acknowledged.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Unacknowledged {
    pub group_id: Uuid,
    pub slug: String,
    pub name: String,
    /// `[{id, title}]`, newest first.
    pub messages: serde_json::Value,
    pub unacknowledged: i64,
    /// Groups with at least one, not only those returned.
    pub total: i64,
}

/// The region's active groups with unacknowledged live messages, those with
/// most first, at most `limit`.
pub async fn unacknowledged(
    db: &impl ConnectionTrait,
    region: Uuid,
    limit: u64,
) -> Result<Vec<Unacknowledged>, Error> {
    Ok(Unacknowledged::find_by_statement(stmt(
        // Counted per group from its acknowledgements (live messages minus
        // those it acknowledged), so only the groups listed have their
        // missing messages spelled out.
        "WITH live AS (
           SELECT m.id, m.title, m.created_at FROM messages m
           WHERE (m.expires_at IS NULL OR m.expires_at > now())
             AND (m.audience_all OR EXISTS (SELECT 1 FROM message_regions mr WHERE mr.message_id = m.id AND mr.region_id = $1))
         ),
         active AS (SELECT id, slug, name FROM groups WHERE region_id = $1 AND status IN ('provisional', 'official')),
         acked AS (
           SELECT a.group_id, count(*) AS n FROM message_acknowledgements a
           JOIN live l ON l.id = a.message_id JOIN active g ON g.id = a.group_id GROUP BY a.group_id
         ),
         counted AS (
           SELECT g.id AS group_id, g.slug, g.name, (SELECT count(*) FROM live) - COALESCE(k.n, 0) AS unacknowledged
           FROM active g LEFT JOIN acked k ON k.group_id = g.id
         ),
         listed AS (
           SELECT *, count(*) OVER () AS total FROM counted WHERE unacknowledged > 0
           ORDER BY unacknowledged DESC, slug LIMIT $2
         )
         SELECT t.group_id, t.slug, t.name, t.unacknowledged, t.total,
                (SELECT jsonb_agg(jsonb_build_object('id', l.id, 'title', l.title) ORDER BY l.created_at DESC, l.id)
                 FROM live l
                 WHERE NOT EXISTS (SELECT 1 FROM message_acknowledgements a WHERE a.message_id = l.id AND a.group_id = t.group_id)
                ) AS messages
         FROM listed t ORDER BY t.unacknowledged DESC, t.slug",
        vec![region.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// The latest quarter each ambassadorship reported, for those that have one.
pub async fn last_reports(
    db: &impl ConnectionTrait,
    ambassadorships: &[Uuid],
) -> Result<Vec<(Uuid, String)>, Error> {
    #[derive(FromQueryResult)]
    struct Last {
        ambassadorship_id: Uuid,
        period: String,
    }
    Ok(Last::find_by_statement(stmt(
        "SELECT ambassadorship_id, max(period) AS period FROM activity_reports
         WHERE ambassadorship_id = ANY($1) GROUP BY ambassadorship_id",
        vec![ambassadorships.to_vec().into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|l| (l.ambassadorship_id, l.period))
    .collect())
}
