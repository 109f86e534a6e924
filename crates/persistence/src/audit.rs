//! The audit log: written in the transaction of each change, read by staff.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;

use crate::error::Error;
use crate::stmt;

/// Who made a change, as recorded.
#[derive(Debug, Clone)]
pub struct AuditActor {
    /// `anonymous`, `member`, `service_account` or `system`.
    pub actor_type: &'static str,
    /// The member or service account id.
    pub actor_id: Option<Uuid>,
    /// The request that made the change.
    pub request_id: Option<String>,
}

/// A recorded entry.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct AuditEntry {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub summary: serde_json::Value,
    pub request_id: Option<String>,
}

/// Records one change; call it inside the change's transaction.
#[tracing::instrument(skip_all, fields(action = event.action))]
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &AuditActor,
    event: AuditEvent,
) -> Result<(), Error> {
    db.execute(stmt("INSERT INTO audit_log (id, actor_type, actor_id, action, entity_type, entity_id, summary, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [
            Uuid::now_v7().into(),
            actor.actor_type.into(),
            actor.actor_id.into(),
            event.action.into(),
            event.entity_type.into(),
            event.entity_id.into(),
            event.summary.into(),
            actor.request_id.clone().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Filters on the audit log; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

const LIST: &str = "SELECT id, occurred_at, actor_type, actor_id, action, entity_type, entity_id, summary, request_id
FROM audit_log
WHERE ($1::text IS NULL OR entity_type = $1)
  AND ($2::text IS NULL OR entity_id = $2)
  AND ($3::uuid IS NULL OR actor_id = $3)
  AND ($4::timestamptz IS NULL OR occurred_at >= $4)
  AND ($5::timestamptz IS NULL OR occurred_at < $5)
  AND ($6::uuid IS NULL OR id < $6)
ORDER BY id DESC";

fn list_statement(filter: &AuditFilter, before: Option<Uuid>, limit: Option<u64>) -> Statement {
    let mut values = vec![
        filter.entity_type.clone().into(),
        filter.entity_id.clone().into(),
        filter.actor.into(),
        filter.since.into(),
        filter.until.into(),
        before.into(),
    ];
    let sql = match limit {
        Some(limit) => {
            values.push((limit as i64).into());
            format!("{LIST} LIMIT $7")
        }
        None => LIST.to_owned(),
    };
    stmt(&sql, values)
}

/// Entries newest first (ids are UUIDv7, so id order is time order), before the cursor id.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<AuditEntry>, Error> {
    Ok(
        AuditEntry::find_by_statement(list_statement(filter, before, Some(limit)))
            .all(db)
            .await?,
    )
}

/// Every matching entry, as a stream for CSV export.
pub async fn stream<'a, C>(
    db: &'a C,
    filter: &AuditFilter,
) -> Result<impl futures_core::Stream<Item = Result<AuditEntry, sea_orm::DbErr>> + Send + 'a, Error>
where
    C: ConnectionTrait + sea_orm::StreamTrait + Send + Sync,
{
    Ok(
        AuditEntry::find_by_statement(list_statement(filter, None, None))
            .stream(db)
            .await?,
    )
}
