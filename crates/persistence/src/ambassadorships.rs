//! Ambassadorships: a member's term as ambassador of a region.

use chrono::{DateTime, NaiveDate, Utc};
use liaison_domain::ambassador::AmbassadorStatus;
use sea_orm::{ConnectionTrait, FromQueryResult};
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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

row!(Ambassadorship { id, member_id, display_name, region_id, region_slug, cycle_id, application_id, term_start, term_end, status_reason, created_at, updated_at } named { status });

const SELECT: &str = "SELECT s.id, s.member_id, m.display_name, s.region_id, r.slug AS region_slug, s.cycle_id, s.application_id,
  s.term_start, s.term_end, s.status, s.status_reason, s.created_at, s.updated_at
FROM ambassadorships s JOIN members m ON m.id = s.member_id JOIN regions r ON r.id = s.region_id";

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

/// An ambassadorship; `lock` holds its row.
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Option<Ambassadorship>, Error> {
    let sql = format!(
        "{SELECT} WHERE s.id = $1{}",
        if lock { " FOR UPDATE OF s" } else { "" }
    );
    Ok(
        Ambassadorship::find_by_statement(stmt(&sql, vec![id.into()]))
            .one(db)
            .await?,
    )
}

/// Filters of the ambassador list.
#[derive(Debug, Clone, Default)]
pub struct AmbassadorFilter {
    pub region: Option<String>,
    pub status: Option<AmbassadorStatus>,
    /// Only terms that cover this date (an active status alone does not
    /// mean the term is still running).
    pub serving_on: Option<NaiveDate>,
}

/// Ambassadorships, newest first, before the cursor id.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AmbassadorFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Ambassadorship>, Error> {
    Ok(Ambassadorship::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE ($1::text IS NULL OR r.slug = $1) AND ($2::text IS NULL OR s.status = $2)
             AND ($3::uuid IS NULL OR s.id < $3)
             AND ($5::date IS NULL OR (s.term_start <= $5 AND $5 < s.term_end))
             ORDER BY s.id DESC LIMIT $4"
        ),
        vec![
            filter.region.clone().into(),
            filter.status.map(AmbassadorStatus::as_str).into(),
            before.into(),
            (limit as i64).into(),
            filter.serving_on.into(),
        ],
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
