//! The outbox: deliveries written in the transaction of their change, then
//! claimed by a dispatcher (`FOR UPDATE SKIP LOCKED`, under a lease),
//! delivered outside any transaction, and recorded attempt by attempt.

use chrono::{DateTime, Utc};
use liaison_domain::outbox::{Channel, Topic};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::error::Error;
use crate::stmt;

/// Queues one mail per member, each with its payload, in one statement
/// (bulk issuance queues thousands at once).
pub async fn enqueue_mail(
    db: &impl ConnectionTrait,
    topic: Topic,
    mails: &[(Uuid, serde_json::Value)],
) -> Result<u64, Error> {
    if mails.is_empty() {
        return Ok(0);
    }
    let members: Vec<Uuid> = mails.iter().map(|m| m.0).collect();
    let payloads = serde_json::Value::Array(mails.iter().map(|m| m.1.clone()).collect());
    Ok(db
        .execute(stmt(
            "INSERT INTO outbox (id, channel, topic, member_id, payload)
             SELECT uuid_generate_v7(), 'mail', $1, m.member_id, p.payload
             FROM unnest($2::uuid[]) WITH ORDINALITY AS m(member_id, n)
             JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS p(payload, n) ON p.n = m.n",
            vec![topic.as_str().into(), members.into(), payloads.into()],
        ))
        .await?
        .rows_affected())
}

/// A delivery a dispatcher holds under its lease.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub id: Uuid,
    pub channel: Channel,
    pub topic: Topic,
    pub payload: serde_json::Value,
    /// The recipient's address and name, for mail.
    pub email: Option<String>,
    pub display_name: Option<String>,
    /// Attempts before this one.
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
}

row!(Claimed { id, payload, email, display_name, attempts, created_at } named { channel, topic });

/// Claims up to `limit` due deliveries for `worker` until the lease of
/// `lease_secs` runs out; the claiming transaction is this one statement, so
/// delivering happens outside it. Rows locked or leased by another process
/// are skipped.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<Claimed>, Error> {
    Ok(Claimed::find_by_statement(stmt(
        "WITH due AS (
           SELECT id FROM outbox
           WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY next_attempt_at, id LIMIT $3
           FOR UPDATE SKIP LOCKED
         ),
         claimed AS (
           UPDATE outbox o SET claimed_by = $1, claimed_until = now() + make_interval(secs => $2)
           FROM due WHERE o.id = due.id
           RETURNING o.id, o.channel, o.topic, o.payload, o.member_id, o.attempts, o.created_at
         )
         SELECT c.id, c.channel, c.topic, c.payload, m.email, m.display_name, c.attempts, c.created_at
         FROM claimed c LEFT JOIN members m ON m.id = c.member_id ORDER BY c.id",
        vec![worker.into(), (lease_secs as f64).into(), limit.into()],
    ))
    .all(db)
    .await?)
}

/// Records attempt `attempt` of a delivery `worker` holds: sent, or failed
/// with `error` and retried at `retry_at` (given up when `None`). A row
/// whose lease passed to another worker is left to it.
pub async fn record(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    attempt: i32,
    outcome: Result<(), (&str, Option<DateTime<Utc>>)>,
) -> Result<bool, Error> {
    let (ok, error, retry_at) = match outcome {
        Ok(()) => (true, None, None),
        Err((error, retry_at)) => (false, Some(error.to_owned()), retry_at),
    };
    let updated = db
        .execute(stmt(
            "WITH attempt AS (
               INSERT INTO outbox_attempts (outbox_id, attempt, worker, ok, detail)
               SELECT id, $3, $2, $4, $5 FROM outbox WHERE id = $1 AND claimed_by = $2
               ON CONFLICT DO NOTHING
             )
             UPDATE outbox SET attempts = $3, claimed_until = NULL, claimed_by = NULL, last_error = $5,
                    status = CASE WHEN $4 THEN 'sent' WHEN $6::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                    sent_at = CASE WHEN $4 THEN now() END,
                    next_attempt_at = COALESCE($6, next_attempt_at)
             WHERE id = $1 AND claimed_by = $2",
            vec![
                id.into(),
                worker.into(),
                attempt.into(),
                ok.into(),
                error.into(),
                retry_at.into(),
            ],
        ))
        .await?
        .rows_affected();
    Ok(updated == 1)
}

/// Lets go of every row `worker` still holds (a graceful stop), so another
/// process takes them at once instead of after the lease.
pub async fn release(db: &impl ConnectionTrait, worker: &str) -> Result<u64, Error> {
    Ok(db
        .execute(stmt(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND status = 'pending'",
            vec![worker.into()],
        ))
        .await?
        .rows_affected())
}
