//! Ambassador cycles and the regions (with seats) each recruits in.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::stmt;

/// A cycle row.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Cycle {
    pub id: Uuid,
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub weight_track_record: f64,
    pub weight_geography: f64,
    pub weight_impact: f64,
    pub max_per_affiliation: Option<i32>,
    pub term_months: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A region of a cycle, with its seats.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct CycleRegion {
    pub cycle_id: Uuid,
    pub region_id: Uuid,
    pub slug: String,
    pub name: String,
    pub seats: i32,
}

/// A region as a cycle is set up with it.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct RegionRef {
    pub id: Uuid,
    pub slug: String,
    pub ambassador_seats: i32,
}

/// A cycle to create or the new values of one.
#[derive(Debug, Clone)]
pub struct CycleFields {
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub weight_track_record: f64,
    pub weight_geography: f64,
    pub weight_impact: f64,
    pub max_per_affiliation: Option<i32>,
    pub term_months: i32,
}

const COLUMNS: &str = "id, name, opens_at, closes_at, weight_track_record, weight_geography, weight_impact, max_per_affiliation, term_months, created_at, updated_at";

/// Regions by slug (all of them when `slugs` is `None`).
pub async fn regions_by_slug(
    db: &impl ConnectionTrait,
    slugs: Option<Vec<String>>,
) -> Result<Vec<RegionRef>, Error> {
    Ok(RegionRef::find_by_statement(stmt(
        "SELECT id, slug, ambassador_seats FROM regions WHERE $1::text[] IS NULL OR slug = ANY($1) ORDER BY slug",
        vec![slugs.into()],
    ))
    .all(db)
    .await?)
}

/// Creates a cycle with its regions and seats.
#[tracing::instrument(skip(db))]
pub async fn insert(
    db: &impl ConnectionTrait,
    fields: &CycleFields,
    regions: &[(Uuid, i32)],
) -> Result<Cycle, Error> {
    let id = Uuid::now_v7();
    let cycle = Cycle::find_by_statement(stmt(
        &format!(
            "INSERT INTO ambassador_cycles (id, name, opens_at, closes_at, weight_track_record, weight_geography, weight_impact, max_per_affiliation, term_months)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}"
        ),
        vec![
            id.into(),
            fields.name.clone().into(),
            fields.opens_at.into(),
            fields.closes_at.into(),
            fields.weight_track_record.into(),
            fields.weight_geography.into(),
            fields.weight_impact.into(),
            fields.max_per_affiliation.into(),
            fields.term_months.into(),
        ],
    ))
    .one(db)
    .await?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotInserted))?;
    set_regions(db, id, regions).await?;
    Ok(cycle)
}

/// Sets the seats of a cycle's regions (adding regions not yet in it).
pub async fn set_regions(
    db: &impl ConnectionTrait,
    cycle: Uuid,
    regions: &[(Uuid, i32)],
) -> Result<(), Error> {
    if regions.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = regions.iter().map(|r| r.0).collect();
    let seats: Vec<i32> = regions.iter().map(|r| r.1).collect();
    db.execute(stmt(
        "INSERT INTO cycle_regions (cycle_id, region_id, seats)
         SELECT $1, r, s FROM unnest($2::uuid[], $3::int[]) AS t(r, s)
         ON CONFLICT (cycle_id, region_id) DO UPDATE SET seats = EXCLUDED.seats",
        vec![cycle.into(), ids.into(), seats.into()],
    ))
    .await?;
    Ok(())
}

/// Updates a cycle's fields.
#[tracing::instrument(skip(db))]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    fields: &CycleFields,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE ambassador_cycles SET name = $2, opens_at = $3, closes_at = $4, weight_track_record = $5,
           weight_geography = $6, weight_impact = $7, max_per_affiliation = $8, term_months = $9, updated_at = now()
         WHERE id = $1",
        vec![
            id.into(),
            fields.name.clone().into(),
            fields.opens_at.into(),
            fields.closes_at.into(),
            fields.weight_track_record.into(),
            fields.weight_geography.into(),
            fields.weight_impact.into(),
            fields.max_per_affiliation.into(),
            fields.term_months.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// A cycle by id; `lock` holds its row for the transaction, which
/// serialises decisions within the cycle (seats and the affiliation cap).
#[tracing::instrument(skip(db))]
pub async fn find(db: &impl ConnectionTrait, id: Uuid, lock: bool) -> Result<Option<Cycle>, Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM ambassador_cycles WHERE id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    Ok(Cycle::find_by_statement(stmt(&sql, vec![id.into()]))
        .one(db)
        .await?)
}

/// Cycles newest first, before the cursor id.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Cycle>, Error> {
    Ok(Cycle::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM ambassador_cycles WHERE ($1::uuid IS NULL OR id < $1) ORDER BY id DESC LIMIT $2"),
        vec![before.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// The regions of several cycles, in one query.
pub async fn regions_of(
    db: &impl ConnectionTrait,
    cycles: Vec<Uuid>,
) -> Result<Vec<CycleRegion>, Error> {
    Ok(CycleRegion::find_by_statement(stmt(
        "SELECT cr.cycle_id, cr.region_id, r.slug, r.name, cr.seats
         FROM cycle_regions cr JOIN regions r ON r.id = cr.region_id
         WHERE cr.cycle_id = ANY($1) ORDER BY r.slug",
        vec![cycles.into()],
    ))
    .all(db)
    .await?)
}
