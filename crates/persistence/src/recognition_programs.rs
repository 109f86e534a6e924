//! Recognition programmes and their versioned, immutable rules.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::{classify, Error};
use crate::stmt;

/// A programme.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Program {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// One kind's line of a rules version.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct RuleKind {
    pub program: String,
    pub version: i32,
    pub kind: String,
    pub points: i32,
    pub max_count: i32,
}

/// A rules version.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct RuleVersion {
    pub program: String,
    pub version: i32,
    pub window_days: i32,
    pub threshold_points: i32,
    pub published_at: DateTime<Utc>,
}

/// Every programme.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Program>, Error> {
    Ok(Program::find_by_statement(stmt(
        "SELECT slug, name, description FROM recognition_programs ORDER BY slug",
        vec![],
    ))
    .all(db)
    .await?)
}

/// One programme; `lock` serialises publishing its versions.
pub async fn find(
    db: &impl ConnectionTrait,
    slug: &str,
    lock: bool,
) -> Result<Option<Program>, Error> {
    let sql = format!(
        "SELECT slug, name, description FROM recognition_programs WHERE slug = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    Ok(Program::find_by_statement(stmt(&sql, vec![slug.into()]))
        .one(db)
        .await?)
}

/// Creates a programme.
pub async fn insert(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    description: &str,
) -> Result<(), Error> {
    db.execute(stmt(
        "INSERT INTO recognition_programs (slug, name, description) VALUES ($1, $2, $3)",
        vec![slug.into(), name.into(), description.into()],
    ))
    .await
    .map_err(classify)?;
    Ok(())
}

/// Rules versions of some programmes (all when `None`), with their kinds, in two queries.
pub async fn rules(
    db: &impl ConnectionTrait,
    programs: Option<Vec<String>>,
) -> Result<(Vec<RuleVersion>, Vec<RuleKind>), Error> {
    let versions = RuleVersion::find_by_statement(stmt(
        "SELECT program, version, window_days, threshold_points, published_at FROM program_rules
         WHERE $1::text[] IS NULL OR program = ANY($1) ORDER BY program, version",
        vec![programs.clone().into()],
    ))
    .all(db)
    .await?;
    let kinds = RuleKind::find_by_statement(stmt(
        "SELECT program, version, kind, points, max_count FROM program_rule_kinds
         WHERE $1::text[] IS NULL OR program = ANY($1) ORDER BY program, version, kind",
        vec![programs.into()],
    ))
    .all(db)
    .await?;
    Ok((versions, kinds))
}

/// Publishes the next rules version of a programme (locked by the caller); answers its number.
pub async fn publish_rules(
    db: &impl ConnectionTrait,
    program: &str,
    window_days: i32,
    threshold_points: i32,
    kinds: &[(String, i32, i32)],
) -> Result<i32, Error> {
    #[derive(FromQueryResult)]
    struct Next {
        version: i32,
    }
    let version = Next::find_by_statement(stmt(
        "INSERT INTO program_rules (program, version, window_days, threshold_points)
         SELECT $1, COALESCE(max(version), 0) + 1, $2, $3 FROM program_rules WHERE program = $1
         RETURNING version",
        vec![program.into(), window_days.into(), threshold_points.into()],
    ))
    .one(db)
    .await?
    .map(|n| n.version)
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotInserted))?;
    let names: Vec<String> = kinds.iter().map(|k| k.0.clone()).collect();
    let points: Vec<i32> = kinds.iter().map(|k| k.1).collect();
    let caps: Vec<i32> = kinds.iter().map(|k| k.2).collect();
    db.execute(stmt(
        "INSERT INTO program_rule_kinds (program, version, kind, points, max_count)
         SELECT $1, $2, k, p, m FROM unnest($3::text[], $4::int[], $5::int[]) AS t(k, p, m)",
        vec![
            program.into(),
            version.into(),
            names.into(),
            points.into(),
            caps.into(),
        ],
    ))
    .await?;
    Ok(version)
}
