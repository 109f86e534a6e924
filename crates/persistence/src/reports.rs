//! Activity reports and the quarter's figures of a region that fill their
//! draft.

use chrono::{DateTime, Utc};
use liaison_domain::report::{Metrics, Quarter};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::stmt;

/// A filed report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: Uuid,
    pub ambassadorship_id: Uuid,
    pub member_id: Uuid,
    pub region_slug: String,
    pub period: String,
    pub summary: String,
    pub highlights: Vec<String>,
    pub metrics: Metrics,
    pub created_at: DateTime<Utc>,
}

#[derive(FromQueryResult)]
struct ReportRow {
    id: Uuid,
    ambassadorship_id: Uuid,
    member_id: Uuid,
    region_slug: String,
    period: String,
    summary: String,
    highlights: Vec<String>,
    metrics: serde_json::Value,
    created_at: DateTime<Utc>,
}

impl TryFrom<ReportRow> for Report {
    type Error = Error;

    fn try_from(r: ReportRow) -> Result<Self, Error> {
        Ok(Self {
            id: r.id,
            ambassadorship_id: r.ambassadorship_id,
            member_id: r.member_id,
            region_slug: r.region_slug,
            period: r.period,
            summary: r.summary,
            highlights: r.highlights,
            metrics: decode_metrics(r.metrics)?,
            created_at: r.created_at,
        })
    }
}

fn decode_metrics(value: serde_json::Value) -> Result<Metrics, Error> {
    serde_json::from_value(value)
        .map_err(|e| Error::Db(sea_orm::DbErr::Type(format!("report metrics: {e}"))))
}

const SELECT: &str = "SELECT a.id, a.ambassadorship_id, s.member_id, r.slug AS region_slug, a.period, a.summary,
  a.highlights, a.metrics, a.created_at
FROM activity_reports a JOIN ambassadorships s ON s.id = a.ambassadorship_id JOIN regions r ON r.id = s.region_id";

/// The ambassadorship's report for `period`, if filed.
pub async fn find_for_period(
    db: &impl ConnectionTrait,
    ambassadorship: Uuid,
    period: Quarter,
) -> Result<Option<Uuid>, Error> {
    Ok(db
        .query_one(stmt(
            "SELECT id FROM activity_reports WHERE ambassadorship_id = $1 AND period = $2",
            vec![ambassadorship.into(), period.to_string().into()],
        ))
        .await?
        .map(|row| row.try_get("", "id"))
        .transpose()?)
}

/// Files a report with the figures of its quarter.
pub async fn insert(
    db: &impl ConnectionTrait,
    ambassadorship: Uuid,
    period: Quarter,
    summary: &str,
    highlights: &[String],
    metrics: &Metrics,
) -> Result<Report, Error> {
    let id = Uuid::now_v7();
    let metrics = serde_json::to_value(metrics)
        .map_err(|e| Error::Db(sea_orm::DbErr::Type(format!("report metrics: {e}"))))?;
    db.execute(stmt(
        "INSERT INTO activity_reports (id, ambassadorship_id, period, summary, highlights, metrics)
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            id.into(),
            ambassadorship.into(),
            period.to_string().into(),
            summary.into(),
            highlights.to_vec().into(),
            metrics.into(),
        ],
    ))
    .await?;
    find(db, id)
        .await?
        .ok_or(Error::Db(sea_orm::DbErr::RecordNotFound(
            "the report just filed".into(),
        )))
}

/// One report.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Report>, Error> {
    ReportRow::find_by_statement(stmt(&format!("{SELECT} WHERE a.id = $1"), vec![id.into()]))
        .one(db)
        .await?
        .map(Report::try_from)
        .transpose()
}

/// An ambassadorship's reports, latest quarter first, before the cursor period.
pub async fn list(
    db: &impl ConnectionTrait,
    ambassadorship: Uuid,
    before: Option<String>,
    limit: u64,
) -> Result<Vec<Report>, Error> {
    ReportRow::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE a.ambassadorship_id = $1 AND ($2::text IS NULL OR a.period < $2)
             ORDER BY a.period DESC LIMIT $3"
        ),
        vec![ambassadorship.into(), before.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(Report::try_from)
    .collect()
}

/// The figures of `region` in `quarter`, in one statement: every count is a
/// range scan on an index by region and time, whatever the region's size.
pub async fn metrics(
    db: &impl ConnectionTrait,
    region: Uuid,
    quarter: Quarter,
) -> Result<Metrics, Error> {
    let row = db
        .query_one(stmt(
            "WITH g AS (SELECT id, slug, created_at, official_at FROM groups WHERE region_id = $1),
             -- Per group through its (group, date) index, so the region's
             -- size sets the cost, not the whole events table.
             held AS (
               SELECT e.id, e.title, g.id AS group_id, g.slug AS group_slug, e.starts_at, e.attendee_count
               FROM g CROSS JOIN LATERAL (
                 SELECT e.id, e.title, e.starts_at, COALESCE(e.attendee_count, 0)::bigint AS attendee_count FROM events e
                 WHERE e.group_id = g.id AND e.starts_at >= $2 AND e.starts_at < $3 AND e.status = 'held'
                 OFFSET 0 -- kept a per-group index scan: not flattened into a join over all events
               ) e
             ),
             filed AS (
               SELECT f.id, f.title, f.status FROM feedback f
               WHERE f.region_id = $1 AND f.created_at >= $2 AND f.created_at < $3
             ),
             voted AS (
               SELECT f.id, f.title, f.status, n.votes FROM filed f
               CROSS JOIN LATERAL (
                 SELECT count(DISTINCT v.member_id)::bigint AS votes
                 FROM feedback d JOIN feedback_votes v ON v.feedback_id = d.id WHERE d.canonical_id = f.id
               ) n
               WHERE f.status <> 'duplicate' AND n.votes > 0
             )
             SELECT jsonb_build_object(
               'events_held', (SELECT count(*) FROM held),
               'attendance', (SELECT COALESCE(sum(attendee_count), 0) FROM held),
               'new_groups', (SELECT count(*) FROM g WHERE g.created_at >= $2 AND g.created_at < $3),
               'groups_made_official', (SELECT count(*) FROM g WHERE g.official_at >= $2 AND g.official_at < $3),
               'feedback_submitted', (SELECT count(*) FROM filed),
               'feedback_triaged', (
                 SELECT count(DISTINCT h.feedback_id) FROM feedback_history h JOIN feedback f ON f.id = h.feedback_id
                 WHERE f.region_id = $1 AND h.from_status = 'new' AND h.changed_at >= $2 AND h.changed_at < $3),
               'contributions_verified', (
                 SELECT count(*) FROM contributions c
                 JOIN members m ON m.id = c.member_id
                 LEFT JOIN region_countries rc ON rc.country = m.country
                 LEFT JOIN groups cg ON cg.id = c.group_id
                 WHERE c.status = 'verified' AND c.decided_at >= $2 AND c.decided_at < $3
                   AND (rc.region_id = $1 OR cg.region_id = $1)),
               'passes_issued', (
                 SELECT count(*) FROM passes p JOIN members m ON m.id = p.member_id
                 JOIN region_countries rc ON rc.country = m.country AND rc.region_id = $1
                 WHERE p.status <> 'revoked' AND p.issued_at >= $2 AND p.issued_at < $3),
               'largest_events', COALESCE((
                 SELECT jsonb_agg(to_jsonb(t) ORDER BY t.attendee_count DESC, t.starts_at, t.id)
                 FROM (SELECT * FROM held ORDER BY attendee_count DESC, starts_at, id LIMIT 5) t), '[]'::jsonb),
               'most_voted_feedback', COALESCE((
                 SELECT jsonb_agg(to_jsonb(t) ORDER BY t.votes DESC, t.id)
                 FROM (SELECT * FROM voted ORDER BY votes DESC, id LIMIT 5) t), '[]'::jsonb)
             ) AS metrics",
            vec![
                region.into(),
                quarter.starts_at().into(),
                quarter.ends_at().into(),
            ],
        ))
        .await?
        .ok_or(Error::Db(sea_orm::DbErr::RecordNotFound(
            "the quarter's figures".into(),
        )))?;
    decode_metrics(row.try_get("", "metrics")?)
}
