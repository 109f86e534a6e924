//! User groups, their organizers, and the set-based health query.

use chrono::{DateTime, Utc};
use liaison_domain::group::{GroupStatus, OrganizerRole};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::error::{classify, Error};
use crate::stmt;

/// The unique constraint on `groups.slug`.
pub const SLUG_KEY: &str = "groups_slug_key";

/// A group with its region's slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub region_id: Option<Uuid>,
    pub region_slug: Option<String>,
    pub description: String,
    pub links: Vec<String>,
    pub coc_accepted: bool,
    pub status: GroupStatus,
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

row!(Group { id, slug, name, country, city, region_id, region_slug, description, links, coc_accepted, status_reason, created_at, updated_at } named { status });

const SELECT: &str = "SELECT g.id, g.slug, g.name, g.country, g.city, g.region_id, r.slug AS region_slug, g.description,
  g.links, g.coc_accepted, g.status, g.status_reason, g.created_at, g.updated_at
FROM groups g LEFT JOIN regions r ON r.id = g.region_id";

/// A group to register.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub description: String,
    pub links: Vec<String>,
    pub coc_accepted: bool,
}

/// Registers a group (pending) with `lead` as its lead organizer; the region
/// follows from the country.
pub async fn insert(db: &impl ConnectionTrait, new: NewGroup, lead: Uuid) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO groups (id, slug, name, country, city, region_id, description, links, coc_accepted, status)
         VALUES ($1, $2, $3, $4, $5, (SELECT region_id FROM region_countries WHERE country = $4), $6, $7, $8, 'pending')",
        vec![
            id.into(),
            new.slug.into(),
            new.name.into(),
            new.country.into(),
            new.city.into(),
            new.description.into(),
            new.links.into(),
            new.coc_accepted.into(),
        ],
    ))
    .await
    .map_err(classify)?;
    db.execute(stmt(
        "INSERT INTO group_organizers (group_id, member_id, role) VALUES ($1, $2, 'lead')",
        vec![id.into(), lead.into()],
    ))
    .await?;
    Ok(id)
}

/// A group by id or slug; `lock` holds its row for the transaction.
pub async fn find(
    db: &impl ConnectionTrait,
    id_or_slug: &str,
    lock: bool,
) -> Result<Option<Group>, Error> {
    let by_id = Uuid::parse_str(id_or_slug).ok();
    let sql = format!(
        "{SELECT} WHERE ($1::uuid IS NOT NULL AND g.id = $1) OR ($1::uuid IS NULL AND g.slug = $2){}",
        if lock { " FOR UPDATE OF g" } else { "" }
    );
    Ok(
        Group::find_by_statement(stmt(&sql, vec![by_id.into(), id_or_slug.into()]))
            .one(db)
            .await?,
    )
}

/// Changes to a group; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct GroupChanges {
    pub name: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub description: Option<String>,
    pub links: Option<Vec<String>>,
    pub coc_accepted: Option<bool>,
}

/// Applies changes (the region follows a new country).
pub async fn update(db: &impl ConnectionTrait, id: Uuid, c: GroupChanges) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE groups SET name = COALESCE($2, name), country = COALESCE($3, country), city = COALESCE($4, city),
           description = COALESCE($5, description), links = COALESCE($6, links), coc_accepted = COALESCE($7, coc_accepted),
           region_id = CASE WHEN $3::text IS NULL THEN region_id ELSE (SELECT region_id FROM region_countries WHERE country = $3) END,
           updated_at = now()
         WHERE id = $1",
        vec![
            id.into(),
            c.name.into(),
            c.country.into(),
            c.city.into(),
            c.description.into(),
            c.links.into(),
            c.coc_accepted.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Sets a group's status and its reason.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    reason: Option<&str>,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE groups SET status = $2, status_reason = $3, updated_at = now(),
                official_at = CASE WHEN $2 = 'official' THEN now() ELSE official_at END
         WHERE id = $1",
        vec![id.into(), status.into(), reason.map(str::to_owned).into()],
    ))
    .await?;
    Ok(())
}

/// Who may see which groups, for list queries.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// Staff see every group.
    pub staff: bool,
    /// The member, who sees the groups they organise.
    pub member: Option<Uuid>,
    /// Regions where the member is an active ambassador.
    pub ambassador_of: Vec<Uuid>,
}

/// Filters of the group list.
#[derive(Debug, Clone, Default)]
pub struct GroupFilter {
    pub region: Option<String>,
    pub country: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
}

/// A group with its health figures, computed for the whole page in one query.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupWithHealth {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub region_id: Option<Uuid>,
    pub region_slug: Option<String>,
    pub description: String,
    pub links: Vec<String>,
    pub coc_accepted: bool,
    pub status: GroupStatus,
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub held_last_90_days: i64,
    pub held_last_180_days: i64,
    pub held_last_365_days: i64,
    pub average_attendance: Option<f64>,
    pub last_event_at: Option<DateTime<Utc>>,
    pub next_event_at: Option<DateTime<Utc>>,
    pub upcoming: i64,
    pub organizers: i64,
    /// Feedback items linked to the group in the last 365 days.
    pub feedback_last_365_days: i64,
}

row!(GroupWithHealth { id, slug, name, country, city, region_id, region_slug, description, links, coc_accepted, status_reason, created_at, updated_at, held_last_90_days, held_last_180_days, held_last_365_days, average_attendance, last_event_at, next_event_at, upcoming, organizers, feedback_last_365_days } named { status });

/// Health columns for every selected group, aggregated in one pass over its
/// events and organizers (never a query per group).
const WITH_HEALTH: &str = "SELECT g.id, g.slug, g.name, g.country, g.city, g.region_id, r.slug AS region_slug, g.description,
  g.links, g.coc_accepted, g.status, g.status_reason, g.created_at, g.updated_at,
  COALESCE(e.held_90, 0) AS held_last_90_days, COALESCE(e.held_180, 0) AS held_last_180_days,
  COALESCE(e.held_365, 0) AS held_last_365_days, e.average_attendance, e.last_event_at, e.next_event_at,
  COALESCE(e.upcoming, 0) AS upcoming, COALESCE(o.organizers, 0) AS organizers,
  COALESCE(fb.items, 0) AS feedback_last_365_days
FROM groups g
LEFT JOIN regions r ON r.id = g.region_id
LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE ev.status = 'held' AND ev.starts_at >= now() - interval '90 days' AND ev.starts_at <= now())::bigint AS held_90,
         count(*) FILTER (WHERE ev.status = 'held' AND ev.starts_at >= now() - interval '180 days' AND ev.starts_at <= now())::bigint AS held_180,
         count(*) FILTER (WHERE ev.status = 'held' AND ev.starts_at >= now() - interval '365 days' AND ev.starts_at <= now())::bigint AS held_365,
         avg(ev.attendee_count) FILTER (WHERE ev.status = 'held' AND ev.starts_at >= now() - interval '365 days')::float8 AS average_attendance,
         max(ev.starts_at) FILTER (WHERE ev.status = 'held' AND ev.starts_at <= now()) AS last_event_at,
         min(ev.starts_at) FILTER (WHERE ev.status = 'scheduled' AND ev.starts_at > now()) AS next_event_at,
         count(*) FILTER (WHERE ev.status = 'scheduled' AND ev.starts_at > now())::bigint AS upcoming
  FROM events ev WHERE ev.group_id = g.id
) e ON true
LEFT JOIN LATERAL (SELECT count(*)::bigint AS organizers FROM group_organizers go WHERE go.group_id = g.id) o ON true
LEFT JOIN LATERAL (SELECT count(*)::bigint AS items FROM feedback f
                   WHERE f.group_id = g.id AND f.created_at >= now() - interval '365 days') fb ON true";

const VISIBLE: &str =
    "(g.status IN ('provisional', 'official', 'inactive') OR $1 OR g.region_id = ANY($3::uuid[])
   OR EXISTS (SELECT 1 FROM group_organizers vo WHERE vo.group_id = g.id AND vo.member_id = $2))";

/// Groups the viewer may see, by slug, after the cursor slug, with health.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: &GroupFilter,
    after: Option<String>,
    limit: Option<u64>,
) -> Result<Vec<GroupWithHealth>, Error> {
    let sql = format!(
        "{WITH_HEALTH} WHERE {VISIBLE}
           AND ($4::text IS NULL OR r.slug = $4) AND ($5::text IS NULL OR g.country = $5)
           AND ($6::text IS NULL OR g.status = $6)
           AND ($7::text IS NULL OR g.name ILIKE '%' || $7 || '%' OR g.city ILIKE '%' || $7 || '%')
           AND ($8::text IS NULL OR g.slug > $8)
         ORDER BY g.slug LIMIT $9"
    );
    Ok(GroupWithHealth::find_by_statement(stmt(
        &sql,
        vec![
            viewer.staff.into(),
            viewer.member.into(),
            viewer.ambassador_of.clone().into(),
            filter.region.clone().into(),
            filter.country.clone().into(),
            filter.status.clone().into(),
            filter
                .q
                .clone()
                .map(|q| q.replace('%', "\\%").replace('_', "\\_"))
                .into(),
            after.into(),
            limit.map(|l| l as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// One group with its health.
pub async fn with_health(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<GroupWithHealth>, Error> {
    Ok(GroupWithHealth::find_by_statement(stmt(
        &format!("{WITH_HEALTH} WHERE g.id = $1"),
        vec![id.into()],
    ))
    .one(db)
    .await?)
}

/// The active groups (provisional, official) of a region with their health, in one query.
pub async fn active_in_region(
    db: &impl ConnectionTrait,
    region: Uuid,
) -> Result<Vec<GroupWithHealth>, Error> {
    Ok(GroupWithHealth::find_by_statement(stmt(
        &format!("{WITH_HEALTH} WHERE g.region_id = $1 AND g.status IN ('provisional', 'official') ORDER BY g.slug"),
        vec![region.into()],
    ))
    .all(db)
    .await?)
}

/// An organizer with their public name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    pub group_id: Uuid,
    pub member_id: Uuid,
    pub display_name: String,
    pub profile_public: bool,
    pub role: OrganizerRole,
    pub added_at: DateTime<Utc>,
}

row!(Organizer { group_id, member_id, display_name, profile_public, added_at } named { role });

/// The organizers of several groups, in one query.
pub async fn organizers_of(
    db: &impl ConnectionTrait,
    groups: Vec<Uuid>,
) -> Result<Vec<Organizer>, Error> {
    Ok(Organizer::find_by_statement(stmt(
        "SELECT o.group_id, o.member_id, m.display_name, m.profile_public, o.role, o.added_at
         FROM group_organizers o JOIN members m ON m.id = o.member_id
         WHERE o.group_id = ANY($1) ORDER BY o.group_id, o.role DESC, o.added_at",
        vec![groups.into()],
    ))
    .all(db)
    .await?)
}

/// Whether `member` organises `group`.
pub async fn is_organizer(
    db: &impl ConnectionTrait,
    group: Uuid,
    member: Uuid,
) -> Result<bool, Error> {
    Ok(db
        .query_one(stmt(
            "SELECT 1 AS one FROM group_organizers WHERE group_id = $1 AND member_id = $2",
            vec![group.into(), member.into()],
        ))
        .await?
        .is_some())
}

/// Adds a co-organizer; an existing organizer fails with `Duplicate`.
pub async fn add_organizer(
    db: &impl ConnectionTrait,
    group: Uuid,
    member: Uuid,
) -> Result<(), Error> {
    db.execute(stmt(
        "INSERT INTO group_organizers (group_id, member_id, role) VALUES ($1, $2, 'co')",
        vec![group.into(), member.into()],
    ))
    .await
    .map_err(classify)?;
    Ok(())
}

/// Removes an organizer; when the lead leaves, the longest-serving co-organizer
/// becomes lead. Answers whether the member was an organizer.
pub async fn remove_organizer(
    db: &impl ConnectionTrait,
    group: Uuid,
    member: Uuid,
) -> Result<bool, Error> {
    let removed = db
        .execute(stmt(
            "DELETE FROM group_organizers WHERE group_id = $1 AND member_id = $2",
            vec![group.into(), member.into()],
        ))
        .await?
        .rows_affected();
    db.execute(stmt(
        "UPDATE group_organizers SET role = 'lead'
         WHERE group_id = $1 AND NOT EXISTS (SELECT 1 FROM group_organizers WHERE group_id = $1 AND role = 'lead')
           AND member_id = (SELECT member_id FROM group_organizers WHERE group_id = $1 ORDER BY added_at, member_id LIMIT 1)",
        vec![group.into()],
    ))
    .await?;
    Ok(removed == 1)
}

/// The number of organizers of a group.
pub async fn organizer_count(db: &impl ConnectionTrait, group: Uuid) -> Result<i64, Error> {
    #[derive(FromQueryResult)]
    struct N {
        n: i64,
    }
    Ok(N::find_by_statement(stmt(
        "SELECT count(*)::bigint AS n FROM group_organizers WHERE group_id = $1",
        vec![group.into()],
    ))
    .one(db)
    .await?
    .map(|r| r.n)
    .unwrap_or(0))
}

/// Groups a member organises (ids).
pub async fn organised_by(db: &impl ConnectionTrait, member: Uuid) -> Result<Vec<Uuid>, Error> {
    #[derive(FromQueryResult)]
    struct Row {
        group_id: Uuid,
    }
    Ok(Row::find_by_statement(stmt(
        "SELECT group_id FROM group_organizers WHERE member_id = $1",
        vec![member.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| r.group_id)
    .collect())
}
