//! Passes: bulk and single issuance within a quota, the pass list,
//! redemption and revocation.
//!
//! Every issuance locks the quota row first (`summits::lock_quota`), and a
//! partial unique index keeps one live pass per member per summit as the
//! last line of defence.

use chrono::{DateTime, Utc};
use liaison_domain::pass::{PassCode, PassOrigin, PassStatus};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::eligibility::{bind_pinned, ELIGIBLE};
use crate::error::{classify, Error};
use crate::stmt;

/// A pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    pub code: PassCode,
    pub status: PassStatus,
    pub points: Option<i32>,
    pub origin: PassOrigin,
    pub reason: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    /// How its mail fared (`pending`, `sent`, `failed`); none for passes
    /// issued before mail was sent.
    pub delivery_status: Option<String>,
    pub delivery_at: Option<DateTime<Utc>>,
}

row!(Pass { id, summit_id, program, member_id, points, reason, issued_at, redeemed_at, revoked_at, revoke_reason, delivery_status, delivery_at } named { code, status, origin });

/// The pass's columns, and how its mail fared: the latest `pass.issued`
/// delivery's status and time (sent, else last attempted, else queued), or,
/// until its batch is expanded into mails, the batch's.
const PASS_COLUMNS: &str =
    "id, summit_id, program, member_id, code, status, points, origin, reason, issued_at, redeemed_at, revoked_at, revoke_reason,
  COALESCE((SELECT o.status FROM outbox o WHERE o.channel = 'mail' AND o.topic = 'pass.issued' AND o.payload->>'pass_id' = passes.id::text
            ORDER BY o.created_at DESC LIMIT 1),
           (SELECT b.status FROM outbox b WHERE b.channel = 'batch' AND b.status <> 'sent' AND b.payload->'pass_ids' ? passes.id::text
            LIMIT 1)) AS delivery_status,
  COALESCE((SELECT COALESCE(o.sent_at, (SELECT max(a.attempted_at) FROM outbox_attempts a WHERE a.outbox_id = o.id), o.created_at)
            FROM outbox o WHERE o.channel = 'mail' AND o.topic = 'pass.issued' AND o.payload->>'pass_id' = passes.id::text
            ORDER BY o.created_at DESC LIMIT 1),
           (SELECT COALESCE((SELECT max(a.attempted_at) FROM outbox_attempts a WHERE a.outbox_id = b.id), b.created_at)
            FROM outbox b WHERE b.channel = 'batch' AND b.status <> 'sent' AND b.payload->'pass_ids' ? passes.id::text
            LIMIT 1)) AS delivery_at";

/// Issues passes to the first `remaining` eligible members who never held a
/// pass at the summit (a revoked one stays revoked), in one statement (the caller holds the quota lock).
/// `codes` must hold at least `remaining` fresh codes.
pub async fn issue_bulk(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    remaining: i64,
    max: Option<i64>,
    codes: Vec<PassCode>,
) -> Result<Vec<Pass>, Error> {
    let codes: Vec<String> = codes.iter().map(|c| c.as_str().to_owned()).collect();
    let take = max.map_or(remaining, |m| m.min(remaining)).max(0);
    if take == 0 {
        return Ok(vec![]);
    }
    let sql = format!(
        "WITH e AS ({ELIGIBLE}),
              chosen AS (SELECT member_id, points, row_number() OVER (ORDER BY points DESC, reached_on, member_id) AS n
                         FROM e WHERE NOT ever_held ORDER BY points DESC, reached_on, member_id LIMIT $10),
              code AS (SELECT c, n FROM unnest($11::text[]) WITH ORDINALITY AS t(c, n)),
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
    let Some(mut values) = bind_pinned(db, summit, program, None).await? else {
        return Ok(vec![]);
    };
    values.extend([take.into(), codes.into()]);
    Ok(Pass::find_by_statement(stmt(&sql, values)).all(db).await?)
}

/// Issues one pass (manual or appeal; the caller holds the quota lock).
/// A member who already holds a live pass at the summit fails with `Duplicate`.
pub async fn issue_one(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Uuid,
    code: &PassCode,
    origin: PassOrigin,
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
            code.as_str().into(),
            origin.as_str().into(),
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
    pub status: Option<PassStatus>,
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
            f.status.map(PassStatus::as_str).into(),
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
    code: Option<&PassCode>,
    lock: bool,
) -> Result<Option<Pass>, Error> {
    Ok(Pass::find_by_statement(stmt(
        &format!(
            "SELECT {PASS_COLUMNS} FROM passes WHERE ($1::uuid IS NOT NULL AND id = $1) OR ($2::text IS NOT NULL AND code = $2){}",
            if lock { " FOR UPDATE" } else { "" }
        ),
        vec![id.into(), code.map(|c| c.as_str().to_owned()).into()],
    ))
    .one(db)
    .await?)
}

/// Redeems the issued pass with this code in one conditional statement (so
/// two doors scanning one code at once redeem it once); `None` when no
/// issued pass has that code.
pub async fn redeem(db: &impl ConnectionTrait, code: &PassCode) -> Result<Option<Pass>, Error> {
    Ok(Pass::find_by_statement(stmt(
        &format!("UPDATE passes SET status = 'redeemed', redeemed_at = now() WHERE code = $1 AND status = 'issued' RETURNING {PASS_COLUMNS}"),
        vec![code.as_str().into()],
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
