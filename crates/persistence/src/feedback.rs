//! Feedback items, their votes and status history, the similar-title
//! lookup and the public summary.
//!
//! An item's votes are the distinct members who voted on any item whose
//! `canonical_id` is it (see the migration): counted rows, so exact under
//! concurrency, and nobody counts twice after a duplicate marking.

use chrono::{DateTime, Utc};
use liaison_domain::feedback::{FeedbackKind, FeedbackStatus, Severity, SummaryField};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use uuid::Uuid;

use crate::decode::row;
use crate::error::{classify, Error};
use crate::stmt;

/// A component feedback is about.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Component {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// Every component, by slug.
pub async fn components(db: &impl ConnectionTrait) -> Result<Vec<Component>, Error> {
    Ok(Component::find_by_statement(stmt(
        "SELECT slug, name, description FROM components ORDER BY slug",
        vec![],
    ))
    .all(db)
    .await?)
}

/// Adds a component; a taken slug fails with `Duplicate("components_pkey")`.
pub async fn insert_component(db: &impl ConnectionTrait, c: &Component) -> Result<(), Error> {
    db.execute(stmt(
        "INSERT INTO components (slug, name, description) VALUES ($1, $2, $3)",
        vec![
            c.slug.as_str().into(),
            c.name.as_str().into(),
            c.description.as_str().into(),
        ],
    ))
    .await
    .map_err(classify)?;
    Ok(())
}

/// A feedback item with its vote count.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: Uuid,
    pub author_id: Uuid,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub region_id: Option<Uuid>,
    pub region_slug: Option<String>,
    pub kind: FeedbackKind,
    pub component: String,
    pub title: String,
    pub body: String,
    pub severity: Severity,
    pub release: Option<String>,
    pub node_count: Option<i32>,
    pub distribution: Option<String>,
    pub tags: Vec<String>,
    pub status: FeedbackStatus,
    pub duplicate_of: Option<Uuid>,
    pub canonical_id: Uuid,
    pub upstream_url: Option<String>,
    pub status_note: Option<String>,
    pub votes: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

row!(Item { id, author_id, group_id, event_id, region_id, region_slug, component, title, body, release, node_count, distribution, tags, duplicate_of, canonical_id, upstream_url, status_note, votes, created_at, updated_at } named { kind, severity, status });

/// The votes that count for `f`: distinct members over every item folded into it.
const VOTES: &str = "(SELECT count(DISTINCT v.member_id) FROM feedback d JOIN feedback_votes v ON v.feedback_id = d.id
                     WHERE d.canonical_id = f.id)::bigint";

fn select() -> String {
    format!(
        "SELECT f.id, f.author_id, f.group_id, f.event_id, f.region_id, r.slug AS region_slug, f.kind, f.component,
                f.title, f.body, f.severity, f.release, f.node_count, f.distribution, f.tags, f.status, f.duplicate_of,
                f.canonical_id, f.upstream_url, f.status_note, {VOTES} AS votes, f.created_at, f.updated_at
         FROM feedback f LEFT JOIN regions r ON r.id = f.region_id"
    )
}

/// An item to file.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub author_id: Uuid,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub kind: FeedbackKind,
    pub component: String,
    pub title: String,
    pub body: String,
    pub severity: Severity,
    pub release: Option<String>,
    pub node_count: Option<i32>,
    pub distribution: Option<String>,
    pub tags: Vec<String>,
}

/// Files an item; its region is the group's, else the author's country's.
/// The caller checks the component first (the foreign key is the last line).
pub async fn insert(db: &impl ConnectionTrait, n: NewItem) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO feedback (id, author_id, group_id, event_id, region_id, kind, component, title, body, severity,
                               release, node_count, distribution, tags, canonical_id)
         SELECT $1, $2, $3, $4,
                COALESCE((SELECT g.region_id FROM groups g WHERE g.id = $3),
                         (SELECT rc.region_id FROM members m JOIN region_countries rc ON rc.country = m.country WHERE m.id = $2)),
                $5, $6, $7, $8, $9, $10, $11, $12, $13, $1",
        vec![
            id.into(),
            n.author_id.into(),
            n.group_id.into(),
            n.event_id.into(),
            n.kind.as_str().into(),
            n.component.into(),
            n.title.into(),
            n.body.into(),
            n.severity.as_str().into(),
            n.release.into(),
            n.node_count.into(),
            n.distribution.into(),
            n.tags.into(),
        ],
    ))
    .await
    .map_err(classify)?;
    Ok(id)
}

/// An item; `lock` holds its row.
pub async fn find(db: &impl ConnectionTrait, id: Uuid, lock: bool) -> Result<Option<Item>, Error> {
    let sql = format!(
        "{} WHERE f.id = $1{}",
        select(),
        if lock { " FOR UPDATE OF f" } else { "" }
    );
    Ok(Item::find_by_statement(stmt(&sql, vec![id.into()]))
        .one(db)
        .await?)
}

/// Locks two items in id order (a duplicate marking holds both), so two
/// markings of each other cannot interleave into a cycle.
pub async fn lock_pair(db: &impl ConnectionTrait, a: Uuid, b: Uuid) -> Result<(), Error> {
    db.execute(stmt(
        "SELECT id FROM feedback WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        vec![vec![a, b].into()],
    ))
    .await?;
    Ok(())
}

/// Filters of the item list.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub region: Option<String>,
    pub component: Option<String>,
    pub kind: Option<FeedbackKind>,
    pub status: Option<FeedbackStatus>,
    pub group: Option<Uuid>,
    /// Words in the title or body.
    pub q: Option<String>,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOrder {
    /// Newest first.
    Recent,
    /// Most votes first, then newest.
    Votes,
}

/// A page of items after `after` (the previous page's last `(votes, id)`),
/// or all of them when `limit` is `None`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ItemFilter,
    order: ItemOrder,
    after: Option<(i64, Uuid)>,
    limit: Option<u64>,
) -> Result<Vec<Item>, Error> {
    let (after_votes, after_id) = after.map_or((None, None), |(v, id)| (Some(v), Some(id)));
    let order_sql = match order {
        ItemOrder::Recent => "($7::uuid IS NULL OR x.id < $7) ORDER BY x.id DESC",
        ItemOrder::Votes => {
            "($7::uuid IS NULL OR (x.votes, x.id) < ($8::bigint, $7)) ORDER BY x.votes DESC, x.id DESC"
        }
    };
    let sql = format!(
        "SELECT * FROM ({}
           WHERE ($1::text IS NULL OR r.slug = $1) AND ($2::text IS NULL OR f.component = $2)
             AND ($3::text IS NULL OR f.kind = $3) AND ($4::text IS NULL OR f.status = $4)
             AND ($5::uuid IS NULL OR f.group_id = $5)
             AND ($6::text IS NULL OR f.title ILIKE '%' || $6 || '%' OR f.body ILIKE '%' || $6 || '%')) x
         WHERE {order_sql} LIMIT $9",
        select()
    );
    Ok(Item::find_by_statement(stmt(
        &sql,
        vec![
            filter.region.clone().into(),
            filter.component.clone().into(),
            filter.kind.map(FeedbackKind::as_str).into(),
            filter.status.map(FeedbackStatus::as_str).into(),
            filter.group.into(),
            filter.q.clone().into(),
            after_id.into(),
            after_votes.into(),
            limit.map(|l| l as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// A similar item.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Similar {
    pub id: Uuid,
    pub title: String,
    pub status: String,
    pub similarity: f32,
}

/// Up to `limit` items (never duplicates) whose titles are trigram-similar
/// to `q` (pg_trgm's `%`: similarity at least 0.3), most similar first; the
/// GIN index finds the candidates.
pub async fn similar(
    db: &impl ConnectionTrait,
    q: &str,
    except: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Similar>, Error> {
    Ok(Similar::find_by_statement(stmt(
        "SELECT id, title, status, similarity(title, $1) AS similarity FROM feedback
         WHERE title % $1 AND status <> 'duplicate' AND ($2::uuid IS NULL OR id <> $2)
         ORDER BY similarity DESC, id LIMIT $3",
        vec![q.into(), except.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// Votes for `item` (for its canonical item when it is a duplicate);
/// answers whether a vote was added (false: the member had voted).
pub async fn vote(
    db: &impl ConnectionTrait,
    item: Uuid,
    member: Uuid,
    group: Option<Uuid>,
) -> Result<bool, Error> {
    let inserted = db
        .execute(stmt(
            "INSERT INTO feedback_votes (feedback_id, member_id, group_id)
             SELECT f.canonical_id, $2, $3 FROM feedback f WHERE f.id = $1
               AND NOT EXISTS (SELECT 1 FROM feedback d JOIN feedback_votes v ON v.feedback_id = d.id
                               WHERE d.canonical_id = f.canonical_id AND v.member_id = $2)
             ON CONFLICT (feedback_id, member_id) DO NOTHING",
            vec![item.into(), member.into(), group.into()],
        ))
        .await?
        .rows_affected();
    Ok(inserted == 1)
}

/// Withdraws the member's vote wherever it counts for `item`'s canonical item.
pub async fn unvote(db: &impl ConnectionTrait, item: Uuid, member: Uuid) -> Result<u64, Error> {
    Ok(db
        .execute(stmt(
            "DELETE FROM feedback_votes v USING feedback d
             WHERE v.feedback_id = d.id AND v.member_id = $2
               AND d.canonical_id = (SELECT canonical_id FROM feedback WHERE id = $1)",
            vec![item.into(), member.into()],
        ))
        .await?
        .rows_affected())
}

/// Records a status change (with whatever the triage set) and its history row.
pub async fn set_status(
    db: &impl ConnectionTrait,
    item: &Item,
    to: FeedbackStatus,
    change: &StatusChange,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE feedback SET status = $2, status_note = COALESCE($3, status_note),
                upstream_url = COALESCE($4, upstream_url), component = COALESCE($5, component), updated_at = now()
         WHERE id = $1",
        vec![
            item.id.into(),
            to.as_str().into(),
            change.note.clone().into(),
            change.upstream_url.clone().into(),
            change.component.clone().into(),
        ],
    ))
    .await?;
    history(
        db,
        item.id,
        change.actor,
        item.status,
        to,
        change.note.clone(),
    )
    .await
}

/// What a triage records beside the status.
#[derive(Debug, Clone, Default)]
pub struct StatusChange {
    pub actor: Option<Uuid>,
    pub note: Option<String>,
    pub upstream_url: Option<String>,
    pub component: Option<String>,
}

async fn history(
    db: &impl ConnectionTrait,
    item: Uuid,
    actor: Option<Uuid>,
    from: FeedbackStatus,
    to: FeedbackStatus,
    note: Option<String>,
) -> Result<(), Error> {
    db.execute(stmt(
        "INSERT INTO feedback_history (id, feedback_id, actor_id, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            Uuid::now_v7().into(),
            item.into(),
            actor.into(),
            from.as_str().into(),
            to.as_str().into(),
            note.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Marks `item` a duplicate of `of` (both locked by the caller, `of`'s
/// canonical item is not `item`): the item and everything folded into it
/// now count for `of`'s canonical item.
pub async fn mark_duplicate(
    db: &impl ConnectionTrait,
    item: &Item,
    of: &Item,
    change: &StatusChange,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE feedback SET canonical_id = $2 WHERE canonical_id = $1",
        vec![item.id.into(), of.canonical_id.into()],
    ))
    .await?;
    db.execute(stmt(
        "UPDATE feedback SET status = 'duplicate', duplicate_of = $2, status_note = COALESCE($3, status_note), updated_at = now()
         WHERE id = $1",
        vec![item.id.into(), of.id.into(), change.note.clone().into()],
    ))
    .await?;
    history(
        db,
        item.id,
        change.actor,
        item.status,
        FeedbackStatus::Duplicate,
        change.note.clone(),
    )
    .await
}

/// Undoes `item`'s duplicate marking: it goes back to the status it had,
/// and it and the items marked duplicates of it (transitively) count for it again.
pub async fn restore(
    db: &impl ConnectionTrait,
    item: &Item,
    actor: Option<Uuid>,
) -> Result<FeedbackStatus, Error> {
    #[derive(FromQueryResult)]
    struct Before {
        from_status: String,
    }
    let before = Before::find_by_statement(stmt(
        "SELECT from_status FROM feedback_history WHERE feedback_id = $1 AND to_status = 'duplicate'
         ORDER BY changed_at DESC, id DESC LIMIT 1",
        vec![item.id.into()],
    ))
    .one(db)
    .await?
    .and_then(|b| FeedbackStatus::parse(&b.from_status))
    .unwrap_or(FeedbackStatus::Triaged);
    db.execute(stmt(
        "WITH RECURSIVE folded(id) AS (
           SELECT $1::uuid
           UNION SELECT f.id FROM feedback f JOIN folded ON f.duplicate_of = folded.id WHERE f.status = 'duplicate'
         )
         UPDATE feedback SET canonical_id = $1 WHERE id IN (SELECT id FROM folded)",
        vec![item.id.into()],
    ))
    .await?;
    db.execute(stmt(
        "UPDATE feedback SET status = $2, duplicate_of = NULL, updated_at = now() WHERE id = $1",
        vec![item.id.into(), before.as_str().into()],
    ))
    .await?;
    history(db, item.id, actor, FeedbackStatus::Duplicate, before, None).await?;
    Ok(before)
}

/// One status change.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct HistoryEntry {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub from_status: String,
    pub to_status: String,
    pub note: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// An item's status changes, oldest first.
pub async fn history_of(db: &impl ConnectionTrait, item: Uuid) -> Result<Vec<HistoryEntry>, Error> {
    Ok(HistoryEntry::find_by_statement(stmt(
        "SELECT h.id, h.actor_id, m.display_name AS actor_name, h.from_status, h.to_status, h.note, h.changed_at
         FROM feedback_history h LEFT JOIN members m ON m.id = h.actor_id
         WHERE h.feedback_id = $1 ORDER BY h.changed_at, h.id",
        vec![item.into()],
    ))
    .all(db)
    .await?)
}

/// Filters of the summary.
#[derive(Debug, Clone, Default)]
pub struct SummaryFilter {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub region: Option<String>,
    pub kind: Option<FeedbackKind>,
}

/// One bucket of the summary.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Bucket {
    pub key1: Option<String>,
    pub key2: Option<String>,
    pub items: i64,
    pub votes: i64,
    pub groups: i64,
    pub regions: i64,
    /// `[{id, title, votes}]`, most votes first.
    pub top: serde_json::Value,
}

fn key_sql(field: SummaryField) -> &'static str {
    match field {
        SummaryField::Component => "c.component",
        SummaryField::Region => "c.region_slug",
        SummaryField::Kind => "c.kind",
        SummaryField::Status => "c.status",
        SummaryField::Month => "to_char(date_trunc('month', c.created_at), 'YYYY-MM')",
        SummaryField::Group => "c.group_id::text",
    }
}

/// The summary in one statement: canonical items (duplicates count in
/// theirs) with their votes, grouped by one or two fields; each bucket with
/// items, votes, distinct groups and regions, and its top 3 items by votes.
pub async fn summary(
    db: &impl ConnectionTrait,
    fields: &[SummaryField],
    f: &SummaryFilter,
) -> Result<Vec<Bucket>, Error> {
    let k1 = fields.first().map_or("NULL::text", |k| key_sql(*k));
    let k2 = fields.get(1).map_or("NULL::text", |k| key_sql(*k));
    let sql = format!(
        "WITH votes AS (
           SELECT d.canonical_id AS id, count(DISTINCT v.member_id)::bigint AS n
           FROM feedback_votes v JOIN feedback d ON d.id = v.feedback_id GROUP BY d.canonical_id
         ),
         c AS (
           SELECT f.id, f.title, f.component, f.kind, f.status, f.group_id, f.region_id, f.created_at,
                  r.slug AS region_slug, COALESCE(v.n, 0) AS votes
           FROM feedback f LEFT JOIN regions r ON r.id = f.region_id LEFT JOIN votes v ON v.id = f.id
           WHERE f.status <> 'duplicate'
             AND ($1::timestamptz IS NULL OR f.created_at >= $1) AND ($2::timestamptz IS NULL OR f.created_at < $2)
             AND ($3::text IS NULL OR r.slug = $3) AND ($4::text IS NULL OR f.kind = $4)
         ),
         keyed AS (
           SELECT c.*, {k1} AS key1, {k2} AS key2,
                  row_number() OVER (PARTITION BY {k1}, {k2} ORDER BY c.votes DESC, c.id) AS rank
           FROM c
         )
         SELECT key1, key2, count(*)::bigint AS items, sum(votes)::bigint AS votes,
                count(DISTINCT group_id)::bigint AS groups, count(DISTINCT region_id)::bigint AS regions,
                COALESCE(jsonb_agg(jsonb_build_object('id', id, 'title', title, 'votes', votes) ORDER BY rank)
                         FILTER (WHERE rank <= 3), '[]'::jsonb) AS top
         FROM keyed GROUP BY key1, key2 ORDER BY items DESC, key1 NULLS LAST, key2 NULLS LAST"
    );
    let values: Vec<Value> = vec![
        f.since.into(),
        f.until.into(),
        f.region.clone().into(),
        f.kind.map(FeedbackKind::as_str).into(),
    ];
    Ok(Bucket::find_by_statement(stmt(&sql, values))
        .all(db)
        .await?)
}
