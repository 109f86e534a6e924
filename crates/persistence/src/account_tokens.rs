//! The single-use tokens mailed for email verification and password reset:
//! a selector that finds the row and the SHA-256 of a verifier, which the
//! caller compares in constant time.

use liaison_domain::account::TokenPurpose;
use liaison_domain::outbox::Topic;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::stmt;

/// A token to store: the selector in clear, the verifier hashed.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub selector: String,
    pub verifier_hash: Vec<u8>,
    pub purpose: TokenPurpose,
}

/// Stores `token` for the (not erased) member whose email is `email` and
/// queues its mail (`payload` holds the token in clear until it is sent),
/// in one statement that runs the same whether or not the email has an
/// account, so neither the answer nor its timing tells; whether a mail was queued.
pub async fn mail_to_email(
    db: &impl ConnectionTrait,
    email: &str,
    token: &NewToken,
    topic: Topic,
    payload: serde_json::Value,
) -> Result<bool, Error> {
    let queued = db
        .execute(stmt(
            "WITH m AS (SELECT id FROM members WHERE lower(email) = lower($1) AND erased_at IS NULL),
             t AS (
               INSERT INTO account_tokens (selector, verifier_hash, member_id, purpose, expires_at)
               SELECT $2, $3, m.id, $4, now() + make_interval(secs => $5) FROM m
               RETURNING member_id
             )
             INSERT INTO outbox (id, channel, topic, member_id, payload)
             SELECT uuid_generate_v7(), 'mail', $6, t.member_id, $7 FROM t",
            vec![
                email.into(),
                token.selector.clone().into(),
                token.verifier_hash.clone().into(),
                token.purpose.as_str().into(),
                (token.purpose.lifetime().num_seconds() as f64).into(),
                topic.as_str().into(),
                payload.into(),
            ],
        ))
        .await?
        .rows_affected();
    Ok(queued == 1)
}

/// A token that may still be spent.
#[derive(Debug, Clone, FromQueryResult)]
pub struct LiveToken {
    pub member_id: Uuid,
    pub verifier_hash: Vec<u8>,
}

/// The unspent, unexpired token of `purpose` under `selector`, of a member
/// not erased; locked for the rest of the transaction when `lock`, so two
/// requests cannot both spend it.
pub async fn find_live(
    db: &impl ConnectionTrait,
    selector: &str,
    purpose: TokenPurpose,
    lock: bool,
) -> Result<Option<LiveToken>, Error> {
    let sql = format!(
        "SELECT t.member_id, t.verifier_hash FROM account_tokens t JOIN members m ON m.id = t.member_id
         WHERE t.selector = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now() AND m.erased_at IS NULL{}",
        if lock { " FOR UPDATE OF t" } else { "" }
    );
    Ok(
        LiveToken::find_by_statement(stmt(&sql, vec![selector.into(), purpose.as_str().into()]))
            .one(db)
            .await?,
    )
}

/// Spends every live token of `purpose` the member holds (the one used,
/// and any older one: after a reset, no other reset mail still works).
pub async fn spend_all(
    db: &impl ConnectionTrait,
    member: Uuid,
    purpose: TokenPurpose,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE account_tokens SET used_at = now() WHERE member_id = $1 AND purpose = $2 AND used_at IS NULL",
        vec![member.into(), purpose.as_str().into()],
    ))
    .await?;
    Ok(())
}

/// Marks the member's email verified (once: a second verification keeps
/// the first time).
pub async fn mark_verified(db: &impl ConnectionTrait, member: Uuid) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE members SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1",
        vec![member.into()],
    ))
    .await?;
    Ok(())
}
