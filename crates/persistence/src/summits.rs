//! Summits and their per-programme quotas.
//!
//! Quotas hold under concurrency across server processes: every issuance
//! (bulk, manual, appeal) locks the quota row `FOR UPDATE` before counting
//! what is left (see `passes`).

use chrono::{DateTime, NaiveDate, Utc};
use liaison_domain::summit::SummitSpec;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::stmt;

/// A summit.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Summit {
    pub id: Uuid,
    pub name: String,
    pub city: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub eligibility_cutoff: NaiveDate,
    pub created_at: DateTime<Utc>,
}

/// A summit's quota for one programme, with what is used.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Quota {
    pub summit_id: Uuid,
    pub program: String,
    pub rules_version: i32,
    pub quota: i32,
    pub used: i64,
}

/// Creates a summit with its programmes' quotas.
pub async fn insert(db: &impl ConnectionTrait, spec: &SummitSpec) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff) VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            id.into(),
            spec.name.as_str().into(),
            spec.city.as_str().into(),
            spec.starts_on.into(),
            spec.ends_on.into(),
            spec.eligibility_cutoff.into(),
        ],
    ))
    .await?;
    let names: Vec<String> = spec.programs.iter().map(|p| p.program.clone()).collect();
    let versions: Vec<i32> = spec.programs.iter().map(|p| p.rules_version).collect();
    let quotas: Vec<i32> = spec.programs.iter().map(|p| p.quota).collect();
    db.execute(stmt(
        "INSERT INTO summit_programs (summit_id, program, rules_version, quota)
         SELECT $1, p, v, q FROM unnest($2::text[], $3::int[], $4::int[]) AS t(p, v, q)",
        vec![id.into(), names.into(), versions.into(), quotas.into()],
    ))
    .await?;
    Ok(id)
}

/// A summit.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Summit>, Error> {
    Ok(Summit::find_by_statement(stmt(
        "SELECT id, name, city, starts_on, ends_on, eligibility_cutoff, created_at FROM summits WHERE id = $1",
        vec![id.into()],
    ))
    .one(db)
    .await?)
}

/// Whether a summit of this name exists.
pub async fn named(db: &impl ConnectionTrait, name: &str) -> Result<bool, Error> {
    Ok(db
        .query_one(stmt(
            "SELECT 1 AS one FROM summits WHERE name = $1",
            vec![name.into()],
        ))
        .await?
        .is_some())
}

/// Locks a summit's row, so that changes to it (quotas) run one at a time;
/// whether it exists.
pub async fn lock(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    Ok(db
        .query_one(stmt(
            "SELECT 1 AS one FROM summits WHERE id = $1 FOR UPDATE",
            vec![id.into()],
        ))
        .await?
        .is_some())
}

/// Sets a programme's quota at a summit (the caller checked it and holds
/// the quota row's lock).
pub async fn set_quota(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    quota: i32,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE summit_programs SET quota = $3 WHERE summit_id = $1 AND program = $2",
        vec![summit.into(), program.into(), quota.into()],
    ))
    .await?;
    Ok(())
}

/// Summits, newest first, before the cursor id.
pub async fn list(
    db: &impl ConnectionTrait,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Summit>, Error> {
    Ok(Summit::find_by_statement(stmt(
        "SELECT id, name, city, starts_on, ends_on, eligibility_cutoff, created_at FROM summits
         WHERE $1::uuid IS NULL OR id < $1 ORDER BY id DESC LIMIT $2",
        vec![before.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// Quotas (with passes used) of several summits, in one query.
pub async fn quotas(db: &impl ConnectionTrait, summits: Vec<Uuid>) -> Result<Vec<Quota>, Error> {
    Ok(Quota::find_by_statement(stmt(
        "SELECT sp.summit_id, sp.program, sp.rules_version, sp.quota,
                (SELECT count(*) FROM passes p WHERE p.summit_id = sp.summit_id AND p.program = sp.program AND p.status <> 'revoked')::bigint AS used
         FROM summit_programs sp WHERE sp.summit_id = ANY($1) ORDER BY sp.summit_id, sp.program",
        vec![summits.into()],
    ))
    .all(db)
    .await?)
}

/// Locks a summit programme's quota row and answers it with what is used.
pub async fn lock_quota(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
) -> Result<Option<Quota>, Error> {
    #[derive(FromQueryResult)]
    struct Row {
        quota: i32,
        rules_version: i32,
    }
    let Some(row) = Row::find_by_statement(stmt(
        "SELECT quota, rules_version FROM summit_programs WHERE summit_id = $1 AND program = $2 FOR UPDATE",
        vec![summit.into(), program.into()],
    ))
    .one(db)
    .await?
    else {
        return Ok(None);
    };
    #[derive(FromQueryResult)]
    struct Used {
        used: i64,
    }
    let used = Used::find_by_statement(stmt(
        "SELECT count(*)::bigint AS used FROM passes WHERE summit_id = $1 AND program = $2 AND status <> 'revoked'",
        vec![summit.into(), program.into()],
    ))
    .one(db)
    .await?
    .map(|u| u.used)
    .unwrap_or(0);
    Ok(Some(Quota {
        summit_id: summit,
        program: program.to_owned(),
        rules_version: row.rules_version,
        quota: row.quota,
        used,
    }))
}
