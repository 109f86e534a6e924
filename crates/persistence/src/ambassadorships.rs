//! Ambassadorships: a member's term as ambassador of a region.

use chrono::{DateTime, NaiveDate, Utc};
use liaison_domain::ambassador::AmbassadorStatus;
use liaison_domain::report::Quarter;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use uuid::Uuid;

use crate::decode::row;
use crate::error::Error;
use crate::stmt;

/// An ambassadorship with its member's public name and region slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambassadorship {
    pub id: Uuid,
    pub member_id: Uuid,
    pub display_name: String,
    pub region_id: Uuid,
    pub region_slug: String,
    pub cycle_id: Uuid,
    pub application_id: Uuid,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub status: AmbassadorStatus,
    pub status_reason: Option<String>,
    /// Active, and no report for the quarter last due that the term covers.
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

row!(Ambassadorship { id, member_id, display_name, region_id, region_slug, cycle_id, application_id, term_start, term_end, status_reason, overdue, created_at, updated_at } named { status });

/// `$1`–`$3` are the quarter last due (see [`due`]): its period, its first
/// day and the next quarter's first day.
const SELECT: &str = "SELECT s.id, s.member_id, m.display_name, s.region_id, r.slug AS region_slug, s.cycle_id, s.application_id,
  s.term_start, s.term_end, s.status, s.status_reason, s.created_at, s.updated_at, (s.status = 'active' AND s.term_start < $3 AND $2 < s.term_end
    AND NOT EXISTS (SELECT 1 FROM activity_reports ar WHERE ar.ambassadorship_id = s.id AND ar.period = $1)) AS overdue
FROM ambassadorships s JOIN members m ON m.id = s.member_id JOIN regions r ON r.id = s.region_id";

/// The parameters `$1`–`$3` of [`SELECT`].
fn due(quarter: Quarter) -> Vec<Value> {
    vec![
        quarter.to_string().into(),
        quarter.first_day().into(),
        quarter.next().first_day().into(),
    ]
}

/// A new active ambassadorship.
#[derive(Debug, Clone)]
pub struct NewAmbassadorship {
    pub member_id: Uuid,
    pub region_id: Uuid,
    pub cycle_id: Uuid,
    pub application_id: Uuid,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
}

/// Creates an active ambassadorship.
pub async fn insert(db: &impl ConnectionTrait, new: NewAmbassadorship) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO ambassadorships (id, member_id, region_id, cycle_id, application_id, term_start, term_end, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active')",
        vec![
            id.into(),
            new.member_id.into(),
            new.region_id.into(),
            new.cycle_id.into(),
            new.application_id.into(),
            new.term_start.into(),
            new.term_end.into(),
        ],
    ))
    .await?;
    Ok(id)
}

/// An ambassadorship, `overdue` as of the quarter `due`; `lock` holds its row.
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    due_quarter: Quarter,
    lock: bool,
) -> Result<Option<Ambassadorship>, Error> {
    let sql = format!(
        "{SELECT} WHERE s.id = $4{}",
        if lock { " FOR UPDATE OF s" } else { "" }
    );
    let mut values = due(due_quarter);
    values.push(id.into());
    Ok(Ambassadorship::find_by_statement(stmt(&sql, values))
        .one(db)
        .await?)
}

/// Filters of the ambassador list.
#[derive(Debug, Clone, Default)]
pub struct AmbassadorFilter {
    pub region: Option<String>,
    pub status: Option<AmbassadorStatus>,
    /// Only terms that cover this date (an active status alone does not
    /// mean the term is still running).
    pub serving_on: Option<NaiveDate>,
    /// Only those that are (or are not) overdue.
    pub overdue: Option<bool>,
}

/// Ambassadorships, newest first, before the cursor id, `overdue` as of
/// the quarter `due_quarter`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AmbassadorFilter,
    due_quarter: Quarter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Ambassadorship>, Error> {
    let mut values = due(due_quarter);
    values.extend([
        filter.region.clone().into(),
        filter.status.map(AmbassadorStatus::as_str).into(),
        before.into(),
        (limit as i64).into(),
        filter.serving_on.into(),
        filter.overdue.into(),
    ]);
    Ok(Ambassadorship::find_by_statement(stmt(
        &format!(
            "SELECT * FROM ({SELECT}) s WHERE ($4::text IS NULL OR s.region_slug = $4) AND ($5::text IS NULL OR s.status = $5)
             AND ($6::uuid IS NULL OR s.id < $6)
             AND ($8::date IS NULL OR (s.term_start <= $8 AND $8 < s.term_end))
             AND ($9::boolean IS NULL OR s.overdue = $9)
             ORDER BY s.id DESC LIMIT $7"
        ),
        values,
    ))
    .all(db)
    .await?)
}

/// Ends or removes an ambassadorship.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: AmbassadorStatus,
    reason: &str,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE ambassadorships SET status = $2, status_reason = $3, updated_at = now() WHERE id = $1",
        vec![id.into(), status.as_str().into(), reason.into()],
    ))
    .await?;
    Ok(())
}
