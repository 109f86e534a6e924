//! Idempotency keys (`api.md` "Idempotency", `pitfalls.md`).
//!
//! The key row is inserted in the same transaction as the effect and holds
//! the first response. A concurrent request with the same key blocks on the
//! primary key until the first commits (then replays its response) or rolls
//! back (then acts itself): the effect happens once.

use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::Error;
use crate::stmt;

/// How long a key is remembered.
pub const TTL_HOURS: i64 = 24;

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First use: act, then [`store_response`] before committing.
    Fresh,
    /// Seen before with the same body: answer this again.
    Replay {
        status: u16,
        body: Vec<u8>,
        location: Option<String>,
    },
    /// Seen before with another body.
    Mismatch,
}

/// Claims `key` for `caller` inside the caller's transaction.
#[tracing::instrument(skip(db, request_hash))]
pub async fn claim(
    db: &impl ConnectionTrait,
    caller: &str,
    key: &str,
    request_hash: &[u8],
) -> Result<Claim, Error> {
    // An expired key is forgotten, so it can be used afresh.
    db.execute(stmt(&format!("DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND created_at < now() - interval '{TTL_HOURS} hours'"),
        [caller.into(), key.into()],
    ))
    .await?;
    let inserted = db
        .execute(stmt("INSERT INTO idempotency_keys (caller, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [caller.into(), key.into(), request_hash.to_vec().into()],
        ))
        .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Fresh);
    }
    #[derive(FromQueryResult)]
    struct Stored {
        request_hash: Vec<u8>,
        status_code: Option<i16>,
        response_body: Option<Vec<u8>>,
        location: Option<String>,
    }
    let stored = Stored::find_by_statement(stmt("SELECT request_hash, status_code, response_body, location FROM idempotency_keys WHERE caller = $1 AND key = $2",
        [caller.into(), key.into()],
    ))
    .one(db)
    .await?;
    match stored {
        Some(s) if s.request_hash != request_hash => Ok(Claim::Mismatch),
        Some(Stored {
            status_code: Some(status),
            response_body,
            location,
            ..
        }) => Ok(Claim::Replay {
            status: status as u16,
            body: response_body.unwrap_or_default(),
            location,
        }),
        // The row committed without a response cannot happen (both are written
        // in one transaction); the twin that vanished rolled back: claim again.
        _ => Ok(Claim::Mismatch),
    }
}

/// Stores the response of a fresh claim, before the transaction commits.
#[tracing::instrument(skip(db, body))]
pub async fn store_response(
    db: &impl ConnectionTrait,
    caller: &str,
    key: &str,
    status: u16,
    body: &[u8],
    location: Option<&str>,
) -> Result<(), Error> {
    db.execute(stmt("UPDATE idempotency_keys SET status_code = $3, response_body = $4, location = $5 WHERE caller = $1 AND key = $2",
        [
            caller.into(),
            key.into(),
            (status as i16).into(),
            body.to_vec().into(),
            location.map(str::to_owned).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Deletes expired keys; run periodically.
pub async fn purge_expired(db: &impl ConnectionTrait) -> Result<u64, Error> {
    let result = db
        .execute_unprepared(&format!(
            "DELETE FROM idempotency_keys WHERE created_at < now() - interval '{TTL_HOURS} hours'"
        ))
        .await?;
    Ok(result.rows_affected())
}
