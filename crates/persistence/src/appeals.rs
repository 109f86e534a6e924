//! Appeals against a summit programme's decision.

use chrono::{DateTime, Utc};
use liaison_domain::pass::AppealStatus;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::error::{classify, Error};
use crate::stmt;

/// An appeal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    pub message: String,
    pub status: AppealStatus,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub pass_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

row!(Appeal { id, summit_id, program, member_id, message, reason, decided_at, pass_id, created_at } named { status });

const APPEAL_COLUMNS: &str =
    "id, summit_id, program, member_id, message, status, reason, decided_at, pass_id, created_at";

/// Files an appeal; a second open one for the same programme fails with `Duplicate`.
pub async fn insert(
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
pub async fn find(
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
pub async fn list(
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
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: AppealStatus,
    reason: &str,
    by: Uuid,
    pass: Option<Uuid>,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE appeals SET status = $2, reason = $3, decided_by = $4, decided_at = now(), pass_id = $5 WHERE id = $1",
        vec![id.into(), status.as_str().into(), reason.into(), by.into(), pass.into()],
    ))
    .await?;
    Ok(())
}
