//! Contribution kinds, contributions (claimed or derived), programmes and
//! their versioned rules.

use chrono::{DateTime, NaiveDate, Utc};
use liaison_domain::recognition::ContributionStatus;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use uuid::Uuid;

use liaison_domain::recognition::Derivation;

use crate::decode::row;
use crate::error::{classify, Error};
use crate::stmt;

/// A contribution kind.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Kind {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// Every kind, by slug.
pub async fn kinds(db: &impl ConnectionTrait) -> Result<Vec<Kind>, Error> {
    Ok(Kind::find_by_statement(stmt(
        "SELECT slug, name, description FROM contribution_kinds ORDER BY slug",
        vec![],
    ))
    .all(db)
    .await?)
}

/// Adds a kind; a taken slug fails with `Duplicate`.
pub async fn insert_kind(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    description: &str,
) -> Result<(), Error> {
    db.execute(stmt(
        "INSERT INTO contribution_kinds (slug, name, description) VALUES ($1, $2, $3)",
        vec![slug.into(), name.into(), description.into()],
    ))
    .await
    .map_err(classify)?;
    Ok(())
}

/// A contribution with its member's region and its group's region (for verifiers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub status: ContributionStatus,
    pub note: Option<String>,
    pub verified_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub derived_from: Option<String>,
    pub created_at: DateTime<Utc>,
    pub member_region: Option<Uuid>,
    pub group_region: Option<Uuid>,
}

row!(Contribution { id, member_id, kind, occurred_on, title, evidence_url, group_id, event_id, note, verified_by, decided_at, derived_from, created_at, member_region, group_region } named { status });

const SELECT: &str = "SELECT c.id, c.member_id, c.kind, c.occurred_on, c.title, c.evidence_url, c.group_id, c.event_id, c.status,
  c.note, c.verified_by, c.decided_at, c.derived_from, c.created_at,
  (SELECT rc.region_id FROM region_countries rc WHERE rc.country = m.country) AS member_region,
  g.region_id AS group_region
FROM contributions c JOIN members m ON m.id = c.member_id LEFT JOIN groups g ON g.id = c.group_id";

/// A claim to store.
#[derive(Debug, Clone)]
pub struct NewClaim {
    pub member_id: Uuid,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
}

/// Stores a pending claim.
pub async fn insert_claim(db: &impl ConnectionTrait, c: NewClaim) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO contributions (id, member_id, kind, occurred_on, title, evidence_url, group_id, event_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')",
        vec![
            id.into(),
            c.member_id.into(),
            c.kind.into(),
            c.occurred_on.into(),
            c.title.into(),
            c.evidence_url.into(),
            c.group_id.into(),
            c.event_id.into(),
        ],
    ))
    .await?;
    Ok(id)
}

/// A contribution; `lock` holds its row.
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Option<Contribution>, Error> {
    let sql = format!(
        "{SELECT} WHERE c.id = $1{}",
        if lock { " FOR UPDATE OF c" } else { "" }
    );
    Ok(Contribution::find_by_statement(stmt(&sql, vec![id.into()]))
        .one(db)
        .await?)
}

/// Records a verifier's decision.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: ContributionStatus,
    note: Option<&str>,
    by: Uuid,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE contributions SET status = $2, note = $3, verified_by = $4, decided_at = now(), updated_at = now() WHERE id = $1",
        vec![id.into(), status.as_str().into(), note.map(str::to_owned).into(), by.into()],
    ))
    .await?;
    Ok(())
}

/// Who lists contributions, and what they may see.
#[derive(Debug, Clone, Default)]
pub struct ContributionScope {
    /// Staff see all.
    pub staff: bool,
    pub member: Uuid,
    /// Regions where the caller is an active ambassador.
    pub ambassador_of: Vec<Uuid>,
    /// Groups the caller organises.
    pub organises: Vec<Uuid>,
}

/// Filters of the contribution list.
#[derive(Debug, Clone, Default)]
pub struct ContributionFilter {
    pub member: Option<Uuid>,
    pub status: Option<String>,
    pub region: Option<Uuid>,
    pub group: Option<Uuid>,
}

/// Contributions the caller may see (their own, those they may verify, or all for staff), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &ContributionScope,
    filter: &ContributionFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Contribution>, Error> {
    let sql = format!(
        "SELECT * FROM ({SELECT}) x
         WHERE ($1 OR x.member_id = $2 OR x.group_id = ANY($4::uuid[])
                OR x.member_region = ANY($3::uuid[]) OR x.group_region = ANY($3::uuid[]))
           AND ($5::uuid IS NULL OR x.member_id = $5) AND ($6::text IS NULL OR x.status = $6)
           AND ($7::uuid IS NULL OR x.member_region = $7 OR x.group_region = $7)
           AND ($8::uuid IS NULL OR x.group_id = $8) AND ($9::uuid IS NULL OR x.id < $9)
         ORDER BY x.id DESC LIMIT $10"
    );
    Ok(Contribution::find_by_statement(stmt(
        &sql,
        vec![
            scope.staff.into(),
            scope.member.into(),
            scope.ambassador_of.clone().into(),
            scope.organises.clone().into(),
            filter.member.into(),
            filter.status.clone().into(),
            filter.region.into(),
            filter.group.into(),
            before.into(),
            (limit as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// Records the contributions a fact in the data earns, already verified, in
/// one statement per derivation; the unique key on (member, kind,
/// derived_from) makes each happen once however often it runs. Answers how
/// many contributions were created.
pub async fn derive(db: &impl ConnectionTrait, derivation: &Derivation) -> Result<u64, Error> {
    if derivation.is_empty() {
        return Ok(0);
    }
    let (sql, values): (&str, Vec<Value>) = match derivation {
        Derivation::EventsHeld(events) => (
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, group_id, event_id, status, decided_at, derived_from)
             SELECT uuid_generate_v7(), o.member_id, $2, (e.starts_at AT TIME ZONE 'UTC')::date,
                    left('Organized: ' || e.title, 200), e.group_id, e.id, 'verified', now(), 'event:' || e.id
             FROM events e JOIN group_organizers o ON o.group_id = e.group_id
             WHERE e.id = ANY($1) AND e.status = 'held'
             ON CONFLICT (member_id, kind, derived_from) DO NOTHING",
            vec![events.clone().into(), derivation.kind().into()],
        ),
    };
    Ok(db.execute(stmt(sql, values)).await?.rows_affected())
}

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
pub async fn programs(db: &impl ConnectionTrait) -> Result<Vec<Program>, Error> {
    Ok(Program::find_by_statement(stmt(
        "SELECT slug, name, description FROM recognition_programs ORDER BY slug",
        vec![],
    ))
    .all(db)
    .await?)
}

/// One programme; `lock` serialises publishing its versions.
pub async fn program(
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
pub async fn insert_program(
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

/// Demo data: for each `(email, kind, n, status)`, `n` contributions of the
/// member with that email, one per 30 days going back from today.
pub async fn seed_monthly(
    db: &impl ConnectionTrait,
    plan: &[(&str, &str, i32, ContributionStatus)],
) -> Result<(), Error> {
    let emails: Vec<String> = plan.iter().map(|p| p.0.to_owned()).collect();
    let kinds: Vec<String> = plan.iter().map(|p| p.1.to_owned()).collect();
    let counts: Vec<i32> = plan.iter().map(|p| p.2).collect();
    let statuses: Vec<String> = plan.iter().map(|p| p.3.as_str().to_owned()).collect();
    db.execute(stmt(
        "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status, decided_at)
         SELECT gen_random_uuid(), m.id, p.kind, current_date - (30 * g), initcap(replace(p.kind, '_', ' ')) || ' #' || g,
                p.status, CASE WHEN p.status = 'verified' THEN now() END
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS p(email, kind, n, status)
         JOIN members m ON m.email = p.email CROSS JOIN LATERAL generate_series(1, p.n) g",
        vec![emails.into(), kinds.into(), counts.into(), statuses.into()],
    ))
    .await?;
    Ok(())
}
