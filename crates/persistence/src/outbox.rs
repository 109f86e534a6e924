//! The outbox: deliveries written in the transaction of their change, then
//! claimed by a dispatcher (`FOR UPDATE SKIP LOCKED`, under a lease),
//! delivered outside any transaction, and recorded attempt by attempt.

use chrono::{DateTime, Utc};
use liaison_domain::outbox::{Channel, Topic};
use liaison_domain::webhook::WebhookEvent;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::stmt;

/// Queues one mail per member, each with its payload, in one statement
/// (bulk issuance queues thousands at once); an optional topic is skipped
/// for members who turned it off.
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
            // An optional mail skips the members who turned it off.
            "INSERT INTO outbox (id, channel, topic, member_id, payload)
             SELECT uuid_generate_v7(), 'mail', $1, m.member_id, p.payload
             FROM unnest($2::uuid[]) WITH ORDINALITY AS m(member_id, n)
             JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS p(payload, n) ON p.n = m.n
             JOIN members r ON r.id = m.member_id
             WHERE NOT ($4 AND $1 = ANY(r.mail_off))",
            vec![
                topic.as_str().into(),
                members.into(),
                payloads.into(),
                topic.is_optional().into(),
            ],
        ))
        .await?
        .rows_affected())
}

/// Queues the code mail of each of `passes` as one batch row (one per
/// issuance, however many passes), which the dispatcher expands into a
/// mail row per pass after the commit ([`expand_pass_mails`]).
pub async fn enqueue_pass_mails(db: &impl ConnectionTrait, passes: &[Uuid]) -> Result<(), Error> {
    if passes.is_empty() {
        return Ok(());
    }
    db.execute(stmt(
        "INSERT INTO outbox (id, channel, topic, payload)
         VALUES (uuid_generate_v7(), 'batch', $1, jsonb_build_object('pass_ids', to_jsonb($2::uuid[])))",
        vec![Topic::PassIssued.as_str().into(), passes.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// Expands pass batch `id`, which `worker` holds, into one mail row per
/// pass, each with the code (in its displayed form, `XXXX-XXXX-XXXX-XXXX`) and
/// what the holder needs to know of the summit; the number of mails.
/// Call it in the transaction that records the attempt, so a batch is
/// expanded once.
pub async fn expand_pass_mails(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
) -> Result<u64, Error> {
    // Pass codes always go (the topic is not optional), so no preference is read.
    Ok(db
        .execute(stmt(
            "INSERT INTO outbox (id, channel, topic, member_id, payload)
             SELECT uuid_generate_v7(), 'mail', b.topic, p.member_id,
                    jsonb_build_object('pass_id', p.id, 'code', regexp_replace(p.code, '(....)(?=.)', '\\1-', 'g'),
                                       'summit', s.name, 'city', s.city, 'starts_on', s.starts_on, 'ends_on', s.ends_on,
                                       'program', p.program, 'program_name', COALESCE(r.name, p.program))
             FROM outbox b
             CROSS JOIN jsonb_array_elements_text(b.payload->'pass_ids') AS x(pass_id)
             -- A pass revoked (or a member erased) before the expansion gets no mail.
             JOIN passes p ON p.id = x.pass_id::uuid AND p.status <> 'revoked'
             JOIN members m ON m.id = p.member_id AND m.erased_at IS NULL
             JOIN summits s ON s.id = p.summit_id
             LEFT JOIN recognition_programs r ON r.slug = p.program
             WHERE b.id = $1 AND b.channel = 'batch' AND b.topic = 'pass.issued' AND b.claimed_by = $2 AND b.status = 'pending'",
            vec![id.into(), worker.into()],
        ))
        .await?
        .rows_affected())
}

/// A delivery a dispatcher holds under its lease.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub id: Uuid,
    /// Where it goes, and what the channel needs to send it.
    pub target: Target,
    pub payload: serde_json::Value,
    /// Attempts before this one.
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
}

/// Where a claimed delivery goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A mail of `topic` to a member (no address when the member is gone).
    Mail {
        topic: Topic,
        email: Option<String>,
        display_name: Option<String>,
    },
    /// A call to a webhook subscription.
    Webhook(WebhookTarget),
    /// Many mails of `topic`, to expand into a row each ([`expand_pass_mails`]).
    Batch { topic: Topic },
}

/// The subscription a webhook delivery goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    pub id: Uuid,
    pub url: String,
    /// `whsec_…`: signing needs it in the clear.
    pub secret: String,
    /// The event type (`event.created`, `webhook.ping`, …).
    pub event: WebhookEvent,
}

impl FromQueryResult for Claimed {
    fn from_query_result(row: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        let target = match crate::decode::named::<Channel>(row, pre, "channel")? {
            Channel::Mail => Target::Mail {
                topic: crate::decode::named(row, pre, "topic")?,
                email: row.try_get(pre, "email")?,
                display_name: row.try_get(pre, "display_name")?,
            },
            // A webhook row's topic is its event type.
            Channel::Webhook => Target::Webhook(WebhookTarget {
                id: row.try_get(pre, "webhook_id")?,
                url: row.try_get(pre, "webhook_url")?,
                secret: row.try_get(pre, "webhook_secret")?,
                event: crate::decode::named(row, pre, "topic")?,
            }),
            Channel::Batch => Target::Batch {
                topic: crate::decode::named(row, pre, "topic")?,
            },
        };
        Ok(Self {
            id: row.try_get(pre, "id")?,
            target,
            payload: row.try_get(pre, "payload")?,
            attempts: row.try_get(pre, "attempts")?,
            created_at: row.try_get(pre, "created_at")?,
        })
    }
}

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
             -- A disabled subscription's deliveries wait for it to be re-enabled.
             AND (webhook_id IS NULL OR EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.id = webhook_id AND w.enabled))
           ORDER BY next_attempt_at, id LIMIT $3
           FOR UPDATE SKIP LOCKED
         ),
         claimed AS (
           UPDATE outbox o SET claimed_by = $1, claimed_until = now() + make_interval(secs => $2)
           FROM due WHERE o.id = due.id
           RETURNING o.id, o.channel, o.topic, o.payload, o.member_id, o.webhook_id, o.attempts, o.created_at
         )
         SELECT c.id, c.channel, c.topic, c.payload, m.email, m.display_name, c.attempts, c.created_at,
                c.webhook_id, w.url AS webhook_url, w.secret AS webhook_secret
         FROM claimed c LEFT JOIN members m ON m.id = c.member_id
         LEFT JOIN webhook_subscriptions w ON w.id = c.webhook_id ORDER BY c.id",
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
                    next_attempt_at = COALESCE($6, next_attempt_at),
                    -- A one-time token (and the link holding it) is kept only while the mail may still go.
                    payload = CASE WHEN ($4 OR $6::timestamptz IS NULL) AND channel = 'mail' AND topic = ANY($7)
                                   THEN payload - ARRAY['token', 'link'] ELSE payload END
             WHERE id = $1 AND claimed_by = $2",
            vec![
                id.into(),
                worker.into(),
                attempt.into(),
                ok.into(),
                error.into(),
                retry_at.into(),
                Topic::ALL
                    .iter()
                    .filter(|t| t.carries_token())
                    .map(|t| t.as_str().to_owned())
                    .collect::<Vec<String>>()
                    .into(),
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

/// Queues `topic` to every member who voted for feedback item `item`
/// (directly, or on an item marked its duplicate), each once, in one
/// statement; those who turned the mail off are skipped.
pub async fn enqueue_mail_to_voters(
    db: &impl ConnectionTrait,
    topic: Topic,
    item: Uuid,
    payload: serde_json::Value,
) -> Result<u64, Error> {
    Ok(db
        .execute(stmt(
            "INSERT INTO outbox (id, channel, topic, member_id, payload)
             SELECT uuid_generate_v7(), 'mail', $1, v.member_id, $3
             FROM (SELECT DISTINCT fv.member_id FROM feedback d JOIN feedback_votes fv ON fv.feedback_id = d.id
                   WHERE d.id = $2 OR d.canonical_id = $2) v
             JOIN members r ON r.id = v.member_id
             WHERE NOT ($4 AND $1 = ANY(r.mail_off))",
            vec![topic.as_str().into(), item.into(), payload.into(), topic.is_optional().into()],
        ))
        .await?
        .rows_affected())
}

/// The optional mails a member turned off.
pub async fn mail_off(db: &impl ConnectionTrait, member: Uuid) -> Result<Vec<Topic>, Error> {
    let row = db
        .query_one(stmt(
            "SELECT mail_off FROM members WHERE id = $1",
            vec![member.into()],
        ))
        .await?;
    let names: Vec<String> = match row {
        Some(row) => row.try_get("", "mail_off")?,
        None => Vec::new(),
    };
    // A name the domain no longer knows is simply not a choice any more.
    Ok(names.iter().filter_map(|n| n.parse().ok()).collect())
}

/// Sets the optional mails a member turned off.
pub async fn set_mail_off(
    db: &impl ConnectionTrait,
    member: Uuid,
    off: &[Topic],
) -> Result<(), Error> {
    let names: Vec<String> = off.iter().map(|t| t.as_str().to_owned()).collect();
    db.execute(stmt(
        "UPDATE members SET mail_off = $2, updated_at = now() WHERE id = $1",
        vec![member.into(), names.into()],
    ))
    .await?;
    Ok(())
}

/// The channel a statement trigger notifies when outbox rows commit, to
/// wake the dispatchers.
pub const WAKEUPS: &str = "liaison_outbox";
