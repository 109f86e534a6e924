//! Webhook subscriptions, the fan-out of an event to the subscriptions that
//! match it (one INSERT … SELECT in the change's transaction), and the
//! delivery log (the subscription's outbox rows).

use chrono::{DateTime, Utc};
use liaison_domain::outbox::DeliveryStatus;
use liaison_domain::webhook::WebhookEvent;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::error::Error;
use crate::stmt;

/// A subscription as its owner sees it (never its secret).
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Subscription {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    pub group_ids: Vec<Uuid>,
    pub region_id: Option<Uuid>,
    pub region: Option<String>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT s.id, s.owner_id, s.url, s.events, s.group_ids, s.region_id, r.slug AS region,
        s.enabled, s.disabled_reason, s.failing_since, s.created_at, s.updated_at
 FROM webhook_subscriptions s LEFT JOIN regions r ON r.id = s.region_id";

/// What a new subscription, or a changed one, holds.
#[derive(Debug, Clone)]
pub struct Fields {
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub group_ids: Vec<Uuid>,
    pub region_id: Option<Uuid>,
}

fn names(events: &[WebhookEvent]) -> Vec<String> {
    events.iter().map(|e| e.as_str().to_owned()).collect()
}

/// Creates a subscription signed with `secret`.
pub async fn insert(
    db: &impl ConnectionTrait,
    owner: Uuid,
    f: &Fields,
    secret: &str,
) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO webhook_subscriptions (id, owner_id, url, events, group_ids, region_id, secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            id.into(),
            owner.into(),
            f.url.clone().into(),
            names(&f.events).into(),
            f.group_ids.clone().into(),
            f.region_id.into(),
            secret.into(),
        ],
    ))
    .await?;
    Ok(id)
}

/// One subscription (`lock`: `FOR UPDATE`, for a change).
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Option<Subscription>, Error> {
    let sql = format!(
        "{SELECT} WHERE s.id = $1{}",
        if lock { " FOR UPDATE OF s" } else { "" }
    );
    Ok(Subscription::find_by_statement(stmt(&sql, vec![id.into()]))
        .one(db)
        .await?)
}

/// Subscriptions by id (v7, so by creation), those of `owner` or all,
/// after the cursor's id; `limit` rows.
pub async fn list(
    db: &impl ConnectionTrait,
    owner: Option<Uuid>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Subscription>, Error> {
    let sql = format!(
        "{SELECT} WHERE ($1::uuid IS NULL OR s.owner_id = $1) AND ($2::uuid IS NULL OR s.id > $2)
         ORDER BY s.id LIMIT $3"
    );
    Ok(Subscription::find_by_statement(stmt(
        &sql,
        vec![owner.into(), after.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// Replaces the filters and target; `enabled` re-enables (clearing why it
/// was disabled and the failure run) or disables by its owner's hand.
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    f: &Fields,
    enabled: Option<bool>,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE webhook_subscriptions SET url = $2, events = $3, group_ids = $4, region_id = $5,
                enabled = COALESCE($6, enabled),
                disabled_reason = CASE WHEN $6 IS NULL THEN disabled_reason WHEN $6 THEN NULL
                                       ELSE COALESCE(disabled_reason, 'by_owner') END,
                failing_since = CASE WHEN $6 THEN NULL ELSE failing_since END,
                updated_at = now()
         WHERE id = $1",
        vec![
            id.into(),
            f.url.clone().into(),
            names(&f.events).into(),
            f.group_ids.clone().into(),
            f.region_id.into(),
            enabled.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Deletes a subscription, its deliveries with it (cascade).
pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    Ok(db
        .execute(stmt(
            "DELETE FROM webhook_subscriptions WHERE id = $1",
            vec![id.into()],
        ))
        .await?
        .rows_affected()
        == 1)
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// How many of `groups` `member` organizes.
pub async fn organized(
    db: &impl ConnectionTrait,
    member: Uuid,
    groups: &[Uuid],
) -> Result<usize, Error> {
    let row = Count::find_by_statement(stmt(
        "SELECT count(DISTINCT group_id) AS n FROM group_organizers WHERE member_id = $1 AND group_id = ANY($2)",
        vec![member.into(), groups.to_vec().into()],
    ))
    .one(db)
    .await?;
    Ok(row.map_or(0, |r| r.n as usize))
}

/// Which of `groups` exist.
pub async fn existing_groups(
    db: &impl ConnectionTrait,
    groups: &[Uuid],
) -> Result<Vec<Uuid>, Error> {
    #[derive(FromQueryResult)]
    struct Id {
        id: Uuid,
    }
    Ok(Id::find_by_statement(stmt(
        "SELECT id FROM groups WHERE id = ANY($1)",
        vec![groups.to_vec().into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect())
}

/// The region of a slug.
pub async fn region_id(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Uuid>, Error> {
    #[derive(FromQueryResult)]
    struct Id {
        id: Uuid,
    }
    Ok(Id::find_by_statement(stmt(
        "SELECT id FROM regions WHERE slug = $1",
        vec![slug.into()],
    ))
    .one(db)
    .await?
    .map(|r| r.id))
}

/// One thing that happened, to tell: its group (for the group filter),
/// where it happened (for the region filter) and its `data`.
#[derive(Debug, Clone)]
pub struct Published {
    pub group_id: Option<Uuid>,
    pub regions: Regions,
    pub data: serde_json::Value,
}

/// Which regions an item concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// Its group's (none without a group: a region filter excludes it).
    OfGroup,
    /// These (a key message to some regions).
    These(Vec<Uuid>),
    /// Every region (a key message to all).
    Every,
}

/// Queues one delivery per (item, enabled subscription that matches it) in
/// one statement: the type is listed, and (no group filter or the item's
/// group is in it), and (no region filter or the item concerns that
/// region) — as `liaison_domain::webhook::Filters::matches`. The payload
/// follows Standard Webhooks: `{type, timestamp, data}`.
pub async fn publish(
    db: &impl ConnectionTrait,
    event: WebhookEvent,
    items: &[Published],
) -> Result<u64, Error> {
    if items.is_empty() {
        return Ok(0);
    }
    let rows = serde_json::Value::Array(
        items
            .iter()
            .map(|i| {
                let (region_ids, every) = match &i.regions {
                    Regions::OfGroup => (None, false),
                    Regions::These(ids) => (Some(ids.clone()), false),
                    Regions::Every => (None, true),
                };
                serde_json::json!({"group_id": i.group_id, "region_ids": region_ids, "every": every, "data": i.data})
            })
            .collect(),
    );
    Ok(db
        .execute(stmt(
            "INSERT INTO outbox (id, channel, topic, payload, webhook_id)
             SELECT uuid_generate_v7(), 'webhook', $1,
                    jsonb_build_object('type', $1::text, 'timestamp', to_jsonb(now()), 'data', e.data), s.id
             FROM jsonb_to_recordset($2::jsonb) AS e(group_id uuid, region_ids jsonb, every boolean, data jsonb)
             LEFT JOIN groups g ON g.id = e.group_id
             JOIN webhook_subscriptions s ON s.enabled AND s.events @> ARRAY[$1::text]
               AND (cardinality(s.group_ids) = 0 OR e.group_id = ANY(s.group_ids))
               AND (s.region_id IS NULL OR e.every
                    OR CASE WHEN jsonb_typeof(e.region_ids) = 'array' THEN jsonb_exists(e.region_ids, s.region_id::text)
                            ELSE s.region_id = g.region_id END)",
            vec![event.as_str().into(), rows.into()],
        ))
        .await?
        .rows_affected())
}

/// Queues a test delivery to one subscription, whatever its filters.
pub async fn ping(db: &impl ConnectionTrait, webhook: Uuid) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    let event = WebhookEvent::WebhookPing.as_str();
    db.execute(stmt(
        "INSERT INTO outbox (id, channel, topic, payload, webhook_id)
         VALUES ($1, 'webhook', $2,
                 jsonb_build_object('type', $2::text, 'timestamp', to_jsonb(now()), 'data', jsonb_build_object('webhook_id', $3::uuid)),
                 $3)",
        vec![id.into(), event.into(), webhook.into()],
    ))
    .await?;
    Ok(id)
}

/// One delivery in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: Uuid,
    pub topic: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_response_code: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub payload: serde_json::Value,
}

row!(Delivery { id, topic, attempts, last_response_code, last_error, next_attempt_at, created_at, sent_at, payload } named { status });

const DELIVERY: &str = "SELECT id, topic, status, attempts, last_response_code, last_error, next_attempt_at, created_at, sent_at, payload
 FROM outbox WHERE channel = 'webhook' AND webhook_id = $1";

/// A subscription's deliveries, newest first, before the cursor's id.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    webhook: Uuid,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Delivery>, Error> {
    let sql = format!("{DELIVERY} AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3");
    Ok(Delivery::find_by_statement(stmt(
        &sql,
        vec![webhook.into(), before.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// One delivery of a subscription.
pub async fn delivery(
    db: &impl ConnectionTrait,
    webhook: Uuid,
    id: Uuid,
) -> Result<Option<Delivery>, Error> {
    let sql = format!("{DELIVERY} AND id = $2");
    Ok(
        Delivery::find_by_statement(stmt(&sql, vec![webhook.into(), id.into()]))
            .one(db)
            .await?,
    )
}

/// Queues a delivery again, due now (a row another process holds is left
/// to it: `false`).
pub async fn retry(db: &impl ConnectionTrait, webhook: Uuid, id: Uuid) -> Result<bool, Error> {
    Ok(db
        .execute(stmt(
            "UPDATE outbox SET status = 'pending', next_attempt_at = now(), sent_at = NULL
             WHERE id = $2 AND webhook_id = $1 AND channel = 'webhook'
               AND (claimed_until IS NULL OR claimed_until < now())",
            vec![webhook.into(), id.into()],
        ))
        .await?
        .rows_affected()
        == 1)
}

/// How an attempt went, for the subscription's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx.
    Delivered,
    /// 410 Gone: the receiver wants no more.
    Gone,
    /// Anything else.
    Failed,
}

/// Records the latest attempt's status code on the delivery (the attempt
/// row copies it when recorded) and the subscription's health: a success
/// ends a run of failures, a 410 disables at once, and failing for
/// `give_up_after_secs` disables.
pub async fn note_attempt(
    db: &impl ConnectionTrait,
    delivery: Uuid,
    webhook: Uuid,
    code: Option<u16>,
    outcome: Outcome,
    give_up_after_secs: i64,
) -> Result<(), Error> {
    let outcome = match outcome {
        Outcome::Delivered => "delivered",
        Outcome::Gone => "gone",
        Outcome::Failed => "failed",
    };
    db.execute(stmt(
        "WITH d AS (UPDATE outbox SET last_response_code = $3 WHERE id = $1)
         UPDATE webhook_subscriptions SET
             failing_since = CASE WHEN $4 = 'delivered' THEN NULL ELSE COALESCE(failing_since, now()) END,
             enabled = CASE WHEN $4 = 'gone' OR ($4 = 'failed' AND failing_since < now() - make_interval(secs => $5))
                            THEN false ELSE enabled END,
             disabled_reason = CASE WHEN NOT enabled THEN disabled_reason
                                    WHEN $4 = 'gone' THEN 'gone'
                                    WHEN $4 = 'failed' AND failing_since < now() - make_interval(secs => $5) THEN 'failing'
                                    ELSE NULL END
         WHERE id = $2",
        vec![
            delivery.into(),
            webhook.into(),
            code.map(i32::from).into(),
            outcome.into(),
            (give_up_after_secs as f64).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Deletes the log older than 30 days (delivered or given up).
pub async fn purge_log(db: &impl ConnectionTrait) -> Result<u64, Error> {
    Ok(db
        .execute(stmt(
            "DELETE FROM outbox WHERE channel = 'webhook' AND status IN ('sent', 'failed')
               AND created_at < now() - interval '30 days'",
            vec![],
        ))
        .await?
        .rows_affected())
}

/// Tells the subscriptions of `event.created`, `event.updated` and
/// `event.cancelled` about every event change this transaction wrote (a
/// create, a patch, or a whole sync), in one INSERT … SELECT over the
/// transaction's `event_changes` rows; `data` is the event as the change
/// feed shows it. Call it once, after the writes.
pub async fn publish_event_changes(db: &impl ConnectionTrait) -> Result<u64, Error> {
    Ok(db
        .execute(stmt(
            "INSERT INTO outbox (id, channel, topic, payload, webhook_id)
             SELECT uuid_generate_v7(), 'webhook', t.topic,
                    jsonb_build_object('type', t.topic, 'timestamp', to_jsonb(c.changed_at), 'data', c.event), s.id
             FROM event_changes c
             CROSS JOIN LATERAL (SELECT 'event.' || c.kind AS topic) t
             JOIN groups g ON g.id = c.group_id
             JOIN webhook_subscriptions s ON s.enabled AND s.events @> ARRAY[t.topic]
               AND (cardinality(s.group_ids) = 0 OR c.group_id = ANY(s.group_ids))
               AND (s.region_id IS NULL OR s.region_id = g.region_id)
             WHERE c.xid = pg_current_xact_id() AND c.kind IN ('created', 'updated', 'cancelled')
             ORDER BY c.id",
            vec![],
        ))
        .await?
        .rows_affected())
}
