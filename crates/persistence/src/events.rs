//! Events, the bulk sync from group websites, and the change feed.
//!
//! Every write appends to `event_changes` in its own transaction; see the
//! migration for why reading it by (xid, id) below the oldest running
//! transaction never skips a change.

use chrono::{DateTime, Utc};
use liaison_domain::event::EventStatus;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::error::{classify, Error};
use crate::stmt;

/// An event row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub id: Uuid,
    pub group_id: Uuid,
    pub source: String,
    pub external_id: String,
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub online: bool,
    pub url: Option<String>,
    pub status: EventStatus,
    pub rsvp_count: Option<i32>,
    pub attendee_count: Option<i32>,
    /// IANA zone; change-feed snapshots older than the column lack it.
    #[serde(default = "utc")]
    pub timezone: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

row!(Event { id, group_id, source, external_id, title, description, starts_at, ends_at, venue, city, country, online, url, rsvp_count, attendee_count, timezone, created_at, updated_at } named { status });

fn utc() -> String {
    "UTC".to_owned()
}

pub(crate) const COLUMNS: &str = "id, group_id, source, external_id, title, description, starts_at, ends_at, venue, city, country,
  online, url, status, rsvp_count, attendee_count, timezone, created_at, updated_at";

/// The fields of an event to write.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFields {
    pub external_id: String,
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub online: bool,
    pub url: Option<String>,
    pub status: EventStatus,
    pub rsvp_count: Option<i32>,
    pub attendee_count: Option<i32>,
    /// A checked IANA zone name.
    pub timezone: String,
}

/// Appends one change for the event `id` as it now is (or a deletion).
async fn record_change(db: &impl ConnectionTrait, event: &Event, kind: &str) -> Result<(), Error> {
    let snapshot = if kind == "deleted" {
        None
    } else {
        Some(
            serde_json::to_value(event)
                .map_err(|e| Error::Db(sea_orm::DbErr::Custom(e.to_string())))?,
        )
    };
    db.execute(stmt(
        "INSERT INTO event_changes (event_id, group_id, kind, event) VALUES ($1, $2, $3, $4)",
        vec![
            event.id.into(),
            event.group_id.into(),
            kind.into(),
            snapshot.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Creates one event (and its `created` change).
pub async fn insert(
    db: &impl ConnectionTrait,
    group: Uuid,
    source: &str,
    f: EventFields,
) -> Result<Event, Error> {
    let event = Event::find_by_statement(stmt(
        &format!(
            "INSERT INTO events (id, group_id, source, external_id, title, description, starts_at, ends_at, venue, city,
               country, online, url, status, rsvp_count, attendee_count, timezone)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING {COLUMNS}"
        ),
        vec![
            Uuid::now_v7().into(),
            group.into(),
            source.into(),
            f.external_id.into(),
            f.title.into(),
            f.description.into(),
            f.starts_at.into(),
            f.ends_at.into(),
            f.venue.into(),
            f.city.into(),
            f.country.into(),
            f.online.into(),
            f.url.into(),
            f.status.as_str().into(),
            f.rsvp_count.into(),
            f.attendee_count.into(),
            f.timezone.into(),
        ],
    ))
    .one(db)
    .await
    .map_err(classify)?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotInserted))?;
    record_change(db, &event, "created").await?;
    Ok(event)
}

/// An event; `lock` holds its row.
pub async fn find(db: &impl ConnectionTrait, id: Uuid, lock: bool) -> Result<Option<Event>, Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    Ok(Event::find_by_statement(stmt(&sql, vec![id.into()]))
        .one(db)
        .await?)
}

/// Replaces an event's fields (the caller merged the patch), recording the
/// change as `cancelled` when it became cancelled, else `updated`.
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    f: EventFields,
    was_status: EventStatus,
) -> Result<Event, Error> {
    let cancelled = EventStatus::Cancelled;
    let kind = if f.status == cancelled && was_status != cancelled {
        "cancelled"
    } else {
        "updated"
    };
    let event = Event::find_by_statement(stmt(
        &format!(
            "UPDATE events SET title = $2, description = $3, starts_at = $4, ends_at = $5, venue = $6, city = $7, country = $8,
               online = $9, url = $10, status = $11, rsvp_count = $12, attendee_count = $13, timezone = $14, updated_at = now()
             WHERE id = $1 RETURNING {COLUMNS}"
        ),
        vec![
            id.into(),
            f.title.into(),
            f.description.into(),
            f.starts_at.into(),
            f.ends_at.into(),
            f.venue.into(),
            f.city.into(),
            f.country.into(),
            f.online.into(),
            f.url.into(),
            f.status.as_str().into(),
            f.rsvp_count.into(),
            f.attendee_count.into(),
            f.timezone.into(),
        ],
    ))
    .one(db)
    .await?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotFound(format!("event {id}"))))?;
    record_change(db, &event, kind).await?;
    Ok(event)
}

/// Deletes an event, leaving a `deleted` change in the feed.
pub async fn delete(db: &impl ConnectionTrait, event: &Event) -> Result<(), Error> {
    db.execute(stmt(
        "DELETE FROM events WHERE id = $1",
        vec![event.id.into()],
    ))
    .await?;
    record_change(db, event, "deleted").await
}

/// A group's events by start time, after the cursor (starts_at, id).
pub async fn list_for_group(
    db: &impl ConnectionTrait,
    group: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<Event>, Error> {
    let (at, id) = after
        .map(|(a, i)| (Some(a), Some(i)))
        .unwrap_or((None, None));
    Ok(Event::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM events WHERE group_id = $1 AND ($2::timestamptz IS NULL OR (starts_at, id) > ($2, $3))
             ORDER BY starts_at, id LIMIT $4"
        ),
        vec![group.into(), at.into(), id.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// How a sync treats the source's events missing from the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    /// Leave them alone.
    Upsert,
    /// Cancel those still in the future.
    Snapshot,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncCounts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub cancelled: i64,
    /// Events this sync created as `held` or moved to `held` (for derived contributions).
    pub held: Vec<Uuid>,
}

/// Upserts a batch for (group, source) in a handful of set-based statements:
/// one multi-row upsert that skips identical rows (so a repeated batch changes
/// nothing) and appends the feed's changes in the same statement, then, in
/// snapshot mode, one update cancelling future events missing from the batch.
/// Syncs of one (group, source) serialise on an advisory lock so two
/// overlapping batches cannot deadlock or interleave.
pub async fn sync(
    db: &impl ConnectionTrait,
    group: Uuid,
    source: &str,
    mode: SyncMode,
    mut batch: Vec<EventFields>,
) -> Result<SyncCounts, Error> {
    db.execute(stmt(
        "SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))",
        vec![group.to_string().into(), source.into()],
    ))
    .await?;
    batch.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    let total = batch.len() as i64;
    #[derive(FromQueryResult)]
    struct Counts {
        created: i64,
        updated: i64,
        held: Vec<Uuid>,
    }
    let counts = Counts::find_by_statement(stmt(
        "WITH input AS (
           SELECT * FROM jsonb_to_recordset($3::jsonb)
             AS t(id uuid, external_id text, title text, description text, starts_at timestamptz, ends_at timestamptz,
                  venue text, city text, country text, online boolean, url text, status text, rsvp_count int, attendee_count int, timezone text)
         ),
         -- The rows as they were before this statement (every CTE reads the
         -- same snapshot), to tell the events this sync newly made `held`.
         before AS (
           SELECT e.external_id, e.status FROM events e JOIN input i ON i.external_id = e.external_id
           WHERE e.group_id = $1 AND e.source = $2
         ),
         upserted AS (
           INSERT INTO events AS e (id, group_id, source, external_id, title, description, starts_at, ends_at, venue, city,
                                    country, online, url, status, rsvp_count, attendee_count, timezone)
           SELECT id, $1, $2, external_id, title, description, starts_at, ends_at, venue, city, country, online, url, status,
                  rsvp_count, attendee_count, timezone
           FROM input ORDER BY external_id
           ON CONFLICT (group_id, source, external_id) DO UPDATE SET
             title = EXCLUDED.title, description = EXCLUDED.description, starts_at = EXCLUDED.starts_at,
             ends_at = EXCLUDED.ends_at, venue = EXCLUDED.venue, city = EXCLUDED.city, country = EXCLUDED.country,
             online = EXCLUDED.online, url = EXCLUDED.url, status = EXCLUDED.status, rsvp_count = EXCLUDED.rsvp_count,
             attendee_count = EXCLUDED.attendee_count, timezone = EXCLUDED.timezone, updated_at = now()
           WHERE (e.title, e.description, e.starts_at, e.ends_at, e.venue, e.city, e.country, e.online, e.url, e.status,
                  e.rsvp_count, e.attendee_count, e.timezone)
             IS DISTINCT FROM
                 (EXCLUDED.title, EXCLUDED.description, EXCLUDED.starts_at, EXCLUDED.ends_at, EXCLUDED.venue, EXCLUDED.city,
                  EXCLUDED.country, EXCLUDED.online, EXCLUDED.url, EXCLUDED.status, EXCLUDED.rsvp_count, EXCLUDED.attendee_count,
                  EXCLUDED.timezone)
           RETURNING e.*, (xmax = 0) AS inserted
         ),
         changes AS (
           INSERT INTO event_changes (event_id, group_id, kind, event)
           SELECT u.id, u.group_id,
                  CASE WHEN u.inserted THEN 'created' WHEN u.status = 'cancelled' THEN 'cancelled' ELSE 'updated' END,
                  to_jsonb(u) - 'inserted'
           FROM upserted u ORDER BY u.external_id
         )
         SELECT count(*) FILTER (WHERE u.inserted)::bigint AS created, count(*) FILTER (WHERE NOT u.inserted)::bigint AS updated,
                COALESCE(array_agg(u.id) FILTER (WHERE u.status = 'held' AND b.status IS DISTINCT FROM 'held'), '{}') AS held
         FROM upserted u LEFT JOIN before b ON b.external_id = u.external_id",
        vec![
            group.into(),
            source.into(),
            // One JSON parameter for the whole batch: one round trip, no
            // 65,535-parameter ceiling, and NULL fields travel as JSON nulls.
            serde_json::Value::Array(
                batch
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "id": Uuid::now_v7(), "external_id": e.external_id, "title": e.title,
                            "description": e.description, "starts_at": e.starts_at, "ends_at": e.ends_at,
                            "venue": e.venue, "city": e.city, "country": e.country, "online": e.online,
                            "url": e.url, "status": e.status, "rsvp_count": e.rsvp_count,
                            "attendee_count": e.attendee_count, "timezone": e.timezone
                        })
                    })
                    .collect(),
            )
            .into(),
        ],
    ))
    .one(db)
    .await?
    .unwrap_or(Counts {
        created: 0,
        updated: 0,
        held: vec![],
    });
    let mut result = SyncCounts {
        created: counts.created,
        updated: counts.updated,
        unchanged: total - counts.created - counts.updated,
        cancelled: 0,
        held: counts.held,
    };
    if mode == SyncMode::Snapshot {
        #[derive(FromQueryResult)]
        struct Cancelled {
            cancelled: i64,
        }
        let ids: Vec<String> = batch.iter().map(|e| e.external_id.clone()).collect();
        result.cancelled = Cancelled::find_by_statement(stmt(
            "WITH cancelled AS (
               UPDATE events AS e SET status = 'cancelled', updated_at = now()
               WHERE e.group_id = $1 AND e.source = $2 AND e.starts_at > now() AND e.status <> 'cancelled'
                 AND e.external_id <> ALL($3::text[])
               RETURNING e.*
             ),
             changes AS (
               INSERT INTO event_changes (event_id, group_id, kind, event)
               SELECT c.id, c.group_id, 'cancelled', to_jsonb(c) FROM cancelled c ORDER BY c.external_id
             )
             SELECT count(*)::bigint AS cancelled FROM cancelled",
            vec![group.into(), source.into(), ids.into()],
        ))
        .one(db)
        .await?
        .map(|c| c.cancelled)
        .unwrap_or(0);
    }
    Ok(result)
}

/// One change of the feed.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Change {
    /// The writing transaction's id (as text: xid8 has no Rust mapping here).
    pub xid: String,
    pub id: i64,
    pub event_id: Uuid,
    pub group_id: Uuid,
    pub kind: String,
    pub event: Option<serde_json::Value>,
    pub changed_at: DateTime<Utc>,
}

/// Which changes a feed reader follows.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    /// One group's changes only.
    pub group: Option<Uuid>,
    /// The changes of one region's groups only (by slug; an unknown slug matches nothing).
    pub region: Option<String>,
}

/// The snapshot a feed read counts up to: this moment's.
pub async fn current_snapshot(db: &impl ConnectionTrait) -> Result<String, Error> {
    let row = db
        .query_one(stmt("SELECT pg_current_snapshot()::text AS s", vec![]))
        .await?
        .ok_or(Error::Db(sea_orm::DbErr::RecordNotFound(
            "a snapshot".into(),
        )))?;
    Ok(row.try_get("", "s")?)
}

/// The changes (of groups the viewer may see) whose transaction was not
/// visible in snapshot `seen` but is in `now`, after `after` (xid, id), in
/// (xid, id) order. Nothing waits for unrelated transactions: a commit is
/// readable at once whatever else runs on the server (pgq's method). Only
/// rows from `seen`'s xmin on can qualify, which the (xid, id) index serves.
pub async fn changes(
    db: &impl ConnectionTrait,
    seen: &str,
    now: &str,
    after: Option<(u64, i64)>,
    viewer: &crate::groups::Viewer,
    filter: &ChangeFilter,
    limit: u64,
) -> Result<Vec<Change>, Error> {
    let (xid, id) = after.unwrap_or((0, 0));
    Ok(Change::find_by_statement(stmt(
        "SELECT c.xid::text AS xid, c.id, c.event_id, c.group_id, c.kind, c.event, c.changed_at
         FROM event_changes c JOIN groups g ON g.id = c.group_id
         WHERE c.xid >= pg_snapshot_xmin($4::text::pg_snapshot)
           AND pg_visible_in_snapshot(c.xid, $9::text::pg_snapshot)
           AND NOT pg_visible_in_snapshot(c.xid, $4::text::pg_snapshot)
           AND (c.xid, c.id) > ($5::text::xid8, $10)
           AND (g.status IN ('provisional', 'official', 'inactive') OR $1 OR g.region_id = ANY($3::uuid[])
                OR EXISTS (SELECT 1 FROM group_organizers vo WHERE vo.group_id = g.id AND vo.member_id = $2))
           AND ($7::uuid IS NULL OR c.group_id = $7)
           AND ($8::text IS NULL OR g.region_id = (SELECT r.id FROM regions r WHERE r.slug = $8))
         ORDER BY c.xid, c.id
         LIMIT $6",
        vec![
            viewer.staff.into(),
            viewer.member.into(),
            viewer.ambassador_of.clone().into(),
            seen.into(),
            xid.to_string().into(),
            (limit as i64).into(),
            filter.group.into(),
            filter.region.clone().into(),
            now.into(),
            id.into(),
        ],
    ))
    .all(db)
    .await?)
}

/// What the cross-group search filters on; `None` is "any".
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Region slug (an unknown slug matches nothing).
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    /// Events ending at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Events starting before this time.
    pub to: Option<DateTime<Utc>>,
    pub online: Option<bool>,
    /// Words in the title, description, venue or city.
    pub q: Option<String>,
}

/// Events of the groups the viewer may see, by (starts_at, id) after the
/// cursor, in one statement (the trigram index serves `q` on titles).
pub async fn search(
    db: &impl ConnectionTrait,
    viewer: &crate::groups::Viewer,
    filter: &SearchFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<Event>, Error> {
    let (at, id) = after
        .map(|(a, i)| (Some(a), Some(i)))
        .unwrap_or((None, None));
    let q = filter.q.as_ref().map(|q| {
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    });
    Ok(Event::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM events
             WHERE group_id IN (
                 SELECT g.id FROM groups g
                 WHERE (g.status IN ('provisional', 'official', 'inactive') OR $1 OR g.region_id = ANY($3::uuid[])
                        OR EXISTS (SELECT 1 FROM group_organizers vo WHERE vo.group_id = g.id AND vo.member_id = $2))
                   AND ($4::text IS NULL OR g.region_id = (SELECT r.id FROM regions r WHERE r.slug = $4)))
               AND ($5::text IS NULL OR country = $5)
               AND ($6::timestamptz IS NULL OR ends_at >= $6)
               AND ($7::timestamptz IS NULL OR starts_at < $7)
               AND ($8::boolean IS NULL OR online = $8)
               AND ($9::text IS NULL OR title ILIKE '%' || $9 || '%' OR description ILIKE '%' || $9 || '%'
                    OR venue ILIKE '%' || $9 || '%' OR city ILIKE '%' || $9 || '%')
               AND ($10::timestamptz IS NULL OR (starts_at, id) > ($10, $11))
             ORDER BY starts_at, id LIMIT $12"
        ),
        vec![
            viewer.staff.into(),
            viewer.member.into(),
            viewer.ambassador_of.clone().into(),
            filter.region.clone().into(),
            filter.country.clone().into(),
            filter.from.into(),
            filter.to.into(),
            filter.online.into(),
            q.into(),
            at.into(),
            id.into(),
            (limit as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}
