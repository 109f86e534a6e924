//! Summits, their per-programme quotas, eligibility, passes and appeals.
//!
//! Quotas hold under concurrency across server processes: every issuance
//! (bulk, manual, appeal) locks the quota row `FOR UPDATE` before counting
//! what is left, and a partial unique index keeps one live pass per member
//! per summit as the last line of defence.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::{classify, Error};
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
pub async fn insert_summit(
    db: &impl ConnectionTrait,
    name: &str,
    city: &str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    cutoff: NaiveDate,
    programs: &[(String, i32, i32)],
) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff) VALUES ($1, $2, $3, $4, $5, $6)",
        vec![id.into(), name.into(), city.into(), starts_on.into(), ends_on.into(), cutoff.into()],
    ))
    .await?;
    let names: Vec<String> = programs.iter().map(|p| p.0.clone()).collect();
    let versions: Vec<i32> = programs.iter().map(|p| p.1).collect();
    let quotas: Vec<i32> = programs.iter().map(|p| p.2).collect();
    db.execute(stmt(
        "INSERT INTO summit_programs (summit_id, program, rules_version, quota)
         SELECT $1, p, v, q FROM unnest($2::text[], $3::int[], $4::int[]) AS t(p, v, q)",
        vec![id.into(), names.into(), versions.into(), quotas.into()],
    ))
    .await?;
    Ok(id)
}

/// A summit.
pub async fn summit(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Summit>, Error> {
    Ok(Summit::find_by_statement(stmt(
        "SELECT id, name, city, starts_on, ends_on, eligibility_cutoff, created_at FROM summits WHERE id = $1",
        vec![id.into()],
    ))
    .one(db)
    .await?)
}

/// Locks a summit's row, so that changes to it (quotas) run one at a time;
/// whether it exists.
pub async fn lock_summit(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
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
pub async fn summits(
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

/// An eligible member.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Eligible {
    pub member_id: Uuid,
    pub display_name: String,
    pub points: i64,
    pub reached_on: NaiveDate,
    /// Whether the member already holds a live pass at this summit.
    pub has_pass: bool,
    /// Whether the member ever held a pass here, revoked ones included: bulk
    /// issuance skips them, so re-running it never undoes a revocation.
    pub ever_held: bool,
}

/// Every member eligible for (summit, programme) under the summit's rules
/// version, in one set-based statement: verified contributions in
/// (cutoff − window_days, cutoff]; per kind the most recent `max_count`
/// (window function); points summed; the day the running total reached the
/// threshold. Ordered as issuance takes them: points desc, reached_on, member id.
const ELIGIBLE: &str = "
WITH sp AS (SELECT rules_version, (SELECT eligibility_cutoff FROM summits WHERE id = $1) AS cutoff
            FROM summit_programs WHERE summit_id = $1 AND program = $2),
     r AS (SELECT pr.window_days, pr.threshold_points, sp.cutoff FROM program_rules pr JOIN sp ON pr.version = sp.rules_version
           WHERE pr.program = $2),
     k AS (SELECT rk.kind, rk.points, rk.max_count FROM program_rule_kinds rk JOIN sp ON rk.version = sp.rules_version
           WHERE rk.program = $2),
     ranked AS (
       SELECT c.member_id, c.occurred_on, c.id, k.points, k.max_count,
              row_number() OVER (PARTITION BY c.member_id, c.kind ORDER BY c.occurred_on DESC, c.id DESC) AS rn
       FROM contributions c JOIN k ON k.kind = c.kind CROSS JOIN r
       WHERE c.status = 'verified' AND c.occurred_on > r.cutoff - r.window_days AND c.occurred_on <= r.cutoff
         AND ($3::uuid IS NULL OR c.member_id = $3)
     ),
     counted AS (
       SELECT member_id, occurred_on, points,
              sum(points) OVER (PARTITION BY member_id ORDER BY occurred_on, id ROWS UNBOUNDED PRECEDING) AS running
       FROM ranked WHERE rn <= max_count
     ),
     totals AS (
       SELECT member_id, sum(points)::bigint AS points,
              min(occurred_on) FILTER (WHERE running >= (SELECT threshold_points FROM r)) AS reached_on
       FROM counted GROUP BY member_id
     )
SELECT t.member_id, m.display_name, t.points, t.reached_on,
       EXISTS (SELECT 1 FROM passes p WHERE p.summit_id = $1 AND p.member_id = t.member_id AND p.status <> 'revoked') AS has_pass,
       EXISTS (SELECT 1 FROM passes p WHERE p.summit_id = $1 AND p.member_id = t.member_id) AS ever_held
FROM totals t JOIN members m ON m.id = t.member_id
WHERE t.points >= (SELECT threshold_points FROM r)
ORDER BY t.points DESC, t.reached_on, t.member_id";

/// Every eligible member (or just `member`), in issuance order.
pub async fn eligible(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Option<Uuid>,
) -> Result<Vec<Eligible>, Error> {
    Ok(Eligible::find_by_statement(stmt(
        ELIGIBLE,
        vec![summit.into(), program.into(), member.into()],
    ))
    .all(db)
    .await?)
}

/// A contribution as an explanation reads it.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct MemberContribution {
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub status: String,
}

/// A member's verified and pending contributions up to the cutoff.
pub async fn member_contributions(
    db: &impl ConnectionTrait,
    member: Uuid,
    cutoff: NaiveDate,
) -> Result<Vec<MemberContribution>, Error> {
    Ok(MemberContribution::find_by_statement(stmt(
        "SELECT kind, occurred_on, status FROM contributions WHERE member_id = $1 AND status IN ('verified', 'pending') AND occurred_on <= $2",
        vec![member.into(), cutoff.into()],
    ))
    .all(db)
    .await?)
}

/// A pass.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Pass {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    pub code: String,
    pub status: String,
    pub points: Option<i32>,
    pub origin: String,
    pub reason: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

const PASS_COLUMNS: &str =
    "id, summit_id, program, member_id, code, status, points, origin, reason, issued_at, redeemed_at, revoked_at, revoke_reason";

/// Issues passes to the first `remaining` eligible members who never held a
/// pass at the summit (a revoked one stays revoked), in one statement (the caller holds the quota lock).
/// `codes` must hold at least `remaining` fresh codes.
pub async fn issue_bulk(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    remaining: i64,
    max: Option<i64>,
    codes: Vec<String>,
) -> Result<Vec<Pass>, Error> {
    let take = max.map_or(remaining, |m| m.min(remaining)).max(0);
    if take == 0 {
        return Ok(vec![]);
    }
    let sql = format!(
        "WITH e AS ({ELIGIBLE}),
              chosen AS (SELECT member_id, points, row_number() OVER (ORDER BY points DESC, reached_on, member_id) AS n
                         FROM e WHERE NOT ever_held ORDER BY points DESC, reached_on, member_id LIMIT $4),
              code AS (SELECT c, n FROM unnest($5::text[]) WITH ORDINALITY AS t(c, n)),
              issued AS (
                INSERT INTO passes (id, summit_id, program, member_id, code, status, points, origin)
                SELECT uuid_generate_v7(), $1, $2, chosen.member_id, code.c, 'issued', chosen.points::int, 'bulk'
                FROM chosen JOIN code ON code.n = chosen.n
                ON CONFLICT (summit_id, member_id) WHERE status <> 'revoked' DO NOTHING
                RETURNING {PASS_COLUMNS}
              )
         -- Answered in issuance order (points, then the day the threshold was reached, then id).
         SELECT issued.* FROM issued JOIN chosen ON chosen.member_id = issued.member_id ORDER BY chosen.n"
    );
    Ok(Pass::find_by_statement(stmt(
        &sql,
        vec![
            summit.into(),
            program.into(),
            Option::<Uuid>::None.into(),
            take.into(),
            codes.into(),
        ],
    ))
    .all(db)
    .await?)
}

/// Issues one pass (manual or appeal; the caller holds the quota lock).
/// A member who already holds a live pass at the summit fails with `Duplicate`.
pub async fn issue_one(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Uuid,
    code: &str,
    origin: &str,
    reason: &str,
) -> Result<Pass, Error> {
    Pass::find_by_statement(stmt(
        &format!(
            "INSERT INTO passes (id, summit_id, program, member_id, code, status, origin, reason)
             VALUES ($1, $2, $3, $4, $5, 'issued', $6, $7) RETURNING {PASS_COLUMNS}"
        ),
        vec![
            Uuid::now_v7().into(),
            summit.into(),
            program.into(),
            member.into(),
            code.into(),
            origin.into(),
            reason.into(),
        ],
    ))
    .one(db)
    .await
    .map_err(classify)?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotInserted))
}

/// Filters of the pass list.
#[derive(Debug, Clone, Default)]
pub struct PassFilter {
    pub summit: Option<Uuid>,
    pub member: Option<Uuid>,
    pub program: Option<String>,
    pub status: Option<String>,
}

/// Passes, oldest first, after the cursor id (all when `limit` is `None`).
pub async fn list(
    db: &impl ConnectionTrait,
    f: &PassFilter,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<Pass>, Error> {
    Ok(Pass::find_by_statement(stmt(
        &format!(
            "SELECT {PASS_COLUMNS} FROM passes WHERE ($1::uuid IS NULL OR summit_id = $1) AND ($2::uuid IS NULL OR member_id = $2)
               AND ($3::text IS NULL OR program = $3) AND ($4::text IS NULL OR status = $4) AND ($5::uuid IS NULL OR id > $5)
             ORDER BY id LIMIT $6"
        ),
        vec![
            f.summit.into(),
            f.member.into(),
            f.program.clone().into(),
            f.status.clone().into(),
            after.into(),
            limit.map(|l| l as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// A pass by id or by code; `lock` holds its row.
pub async fn find(
    db: &impl ConnectionTrait,
    id: Option<Uuid>,
    code: Option<&str>,
    lock: bool,
) -> Result<Option<Pass>, Error> {
    Ok(Pass::find_by_statement(stmt(
        &format!(
            "SELECT {PASS_COLUMNS} FROM passes WHERE ($1::uuid IS NOT NULL AND id = $1) OR ($2::text IS NOT NULL AND code = $2){}",
            if lock { " FOR UPDATE" } else { "" }
        ),
        vec![id.into(), code.map(str::to_owned).into()],
    ))
    .one(db)
    .await?)
}

/// Redeems the issued pass with this code in one conditional statement (so
/// two doors scanning one code at once redeem it once); `None` when no
/// issued pass has that code.
pub async fn redeem(db: &impl ConnectionTrait, code: &str) -> Result<Option<Pass>, Error> {
    Ok(Pass::find_by_statement(stmt(
        &format!("UPDATE passes SET status = 'redeemed', redeemed_at = now() WHERE code = $1 AND status = 'issued' RETURNING {PASS_COLUMNS}"),
        vec![code.into()],
    ))
    .one(db)
    .await?)
}

/// Revokes a pass; answers false when it already was.
pub async fn revoke(db: &impl ConnectionTrait, id: Uuid, reason: &str) -> Result<bool, Error> {
    Ok(db
        .execute(stmt(
            "UPDATE passes SET status = 'revoked', revoked_at = now(), revoke_reason = $2 WHERE id = $1 AND status <> 'revoked'",
            vec![id.into(), reason.into()],
        ))
        .await?
        .rows_affected()
        == 1)
}

/// An appeal.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Appeal {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    pub message: String,
    pub status: String,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub pass_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

const APPEAL_COLUMNS: &str =
    "id, summit_id, program, member_id, message, status, reason, decided_at, pass_id, created_at";

/// Files an appeal; a second open one for the same programme fails with `Duplicate`.
pub async fn insert_appeal(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Uuid,
    message: &str,
) -> Result<Appeal, Error> {
    Appeal::find_by_statement(stmt(
        &format!(
            "INSERT INTO appeals (id, summit_id, program, member_id, message, status) VALUES ($1, $2, $3, $4, $5, 'open')
             RETURNING {APPEAL_COLUMNS}"
        ),
        vec![Uuid::now_v7().into(), summit.into(), program.into(), member.into(), message.into()],
    ))
    .one(db)
    .await
    .map_err(classify)?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotInserted))
}

/// An appeal; `lock` holds its row.
pub async fn appeal(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Option<Appeal>, Error> {
    Ok(Appeal::find_by_statement(stmt(
        &format!(
            "SELECT {APPEAL_COLUMNS} FROM appeals WHERE id = $1{}",
            if lock { " FOR UPDATE" } else { "" }
        ),
        vec![id.into()],
    ))
    .one(db)
    .await?)
}

/// A summit's appeals, oldest first.
pub async fn appeals(
    db: &impl ConnectionTrait,
    summit: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Appeal>, Error> {
    Ok(Appeal::find_by_statement(stmt(
        &format!("SELECT {APPEAL_COLUMNS} FROM appeals WHERE summit_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3"),
        vec![summit.into(), after.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// Records the decision on an appeal.
pub async fn decide_appeal(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    reason: &str,
    by: Uuid,
    pass: Option<Uuid>,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE appeals SET status = $2, reason = $3, decided_by = $4, decided_at = now(), pass_id = $5 WHERE id = $1",
        vec![id.into(), status.into(), reason.into(), by.into(), pass.into()],
    ))
    .await?;
    Ok(())
}
