//! The ceremony every writing call shares, in one type, so that a handler
//! cannot forget a step and each step is tested once:
//!
//! 1. [`Command::begin`] opens the transaction and claims the request's
//!    `Idempotency-Key` (a retry answers [`Begun::Replay`], the stored
//!    response, without acting again); [`Command::open`] does the same for
//!    changes that are idempotent by nature (`PATCH`, `PUT`, `DELETE`,
//!    decisions), which take no key;
//! 2. the handler acts on [`Command::txn`] and records what changed with
//!    [`Command::audit`], in the same transaction;
//! 3. what someone outside should learn of is queued with
//!    [`Command::mail`], in the same transaction, so a rolled-back change
//!    sends nothing and a committed one is never lost;
//! 4. [`Command::finish`] stores the reply under the key, commits and
//!    answers.
//!
//! Dropping a command without finishing rolls everything back, the key
//! included, so a failed request can be retried with the same key.

use actix_web::{HttpRequest, HttpResponse};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use serde::Serialize;

use liaison_domain::audit::AuditEvent;
use liaison_domain::outbox::Topic;
use liaison_persistence::audit::{self, AuditActor};
use liaison_persistence::outbox;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::idempotency::Idempotency;
use crate::http::reply::Reply;

/// How a creating call takes an `Idempotency-Key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Creating calls: a key is honoured when sent.
    Optional,
    /// Bulk calls (**idem** in `api.md`): 400 without one.
    Required,
}

/// A writing call in progress.
pub struct Command<'a> {
    txn: DatabaseTransaction,
    idempotency: Idempotency,
    caller: &'a Caller,
}

/// How a command begins.
pub enum Begun<'a> {
    /// Act, then [`Command::finish`].
    Fresh(Command<'a>),
    /// The key was seen with this request before: its first answer again.
    Replay(HttpResponse),
}

impl<'a> Command<'a> {
    /// Opens the transaction and claims the key (see [`Key`]). `body` is
    /// the request as parsed, fingerprinted with the method and path.
    pub async fn begin(
        db: &DatabaseConnection,
        req: &HttpRequest,
        caller: &'a Caller,
        body: &impl Serialize,
        key: Key,
    ) -> Result<Begun<'a>, ApiError> {
        let txn = db.begin().await?;
        let idempotency = Idempotency::begin(&txn, req, caller, body, key == Key::Required).await?;
        if let Idempotency::Replay(reply) = idempotency {
            return Ok(Begun::Replay(reply.into_response()));
        }
        Ok(Begun::Fresh(Self {
            txn,
            idempotency,
            caller,
        }))
    }

    /// Opens the transaction of a call that takes no key.
    pub async fn open(db: &DatabaseConnection, caller: &'a Caller) -> Result<Self, ApiError> {
        Ok(Self {
            txn: db.begin().await?,
            idempotency: Idempotency::None,
            caller,
        })
    }

    /// The transaction every write of the call goes through.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Records what changed, by the caller, in the call's transaction.
    pub async fn audit(&self, event: AuditEvent) -> Result<(), ApiError> {
        self.audit_as(&self.caller.audit(), event).await
    }

    /// Records what changed on behalf of `actor` (e.g. the member a
    /// sign-in is for), in the call's transaction.
    pub async fn audit_as(&self, actor: &AuditActor, event: AuditEvent) -> Result<(), ApiError> {
        audit::record(&self.txn, actor, event).await?;
        Ok(())
    }

    /// Queues one mail per member (with its payload) in the outbox, in the
    /// call's transaction: the dispatcher sends them once it commits.
    pub async fn mail(
        &self,
        topic: Topic,
        mails: &[(uuid::Uuid, serde_json::Value)],
    ) -> Result<(), ApiError> {
        outbox::enqueue_mail(&self.txn, topic, mails).await?;
        Ok(())
    }

    /// Queues the code mail of each of `passes`, as one row for them all
    /// (expanded into a mail each after the commit), in the call's transaction.
    pub async fn mail_pass_codes(&self, passes: &[uuid::Uuid]) -> Result<(), ApiError> {
        outbox::enqueue_pass_mails(&self.txn, passes).await?;
        Ok(())
    }

    /// Tells the webhook subscriptions that match each item (type, group,
    /// region) of `event`, one delivery per match, in one statement in the
    /// call's transaction.
    pub async fn publish(
        &self,
        event: liaison_domain::webhook::WebhookEvent,
        items: &[liaison_persistence::webhooks::Published],
    ) -> Result<(), ApiError> {
        liaison_persistence::webhooks::publish(&self.txn, event, items).await?;
        Ok(())
    }

    /// Tells the webhook subscriptions of every event this call created,
    /// changed or cancelled (one statement over its change-feed rows); call
    /// it once, after the writes.
    pub async fn publish_event_changes(&self) -> Result<(), ApiError> {
        liaison_persistence::webhooks::publish_event_changes(&self.txn).await?;
        Ok(())
    }

    /// Queues a test delivery to one subscription; its id.
    pub async fn ping(&self, webhook: uuid::Uuid) -> Result<uuid::Uuid, ApiError> {
        Ok(liaison_persistence::webhooks::ping(&self.txn, webhook).await?)
    }

    /// Queues `topic` to the voters of feedback item `item`, in the call's transaction.
    pub async fn mail_voters(
        &self,
        topic: Topic,
        item: uuid::Uuid,
        payload: serde_json::Value,
    ) -> Result<(), ApiError> {
        outbox::enqueue_mail_to_voters(&self.txn, topic, item, payload).await?;
        Ok(())
    }

    /// Commits what was written and answers `error` (e.g. a refresh-token
    /// reuse, whose revocation must stay although the call is refused).
    pub async fn refuse_after_commit(self, error: ApiError) -> Result<HttpResponse, ApiError> {
        self.txn.commit().await?;
        Err(error)
    }

    /// Stores `reply` under the key, commits, and answers it.
    pub async fn finish(self, reply: Reply) -> Result<HttpResponse, ApiError> {
        self.idempotency.finish(&self.txn, &reply).await?;
        self.txn.commit().await?;
        Ok(reply.into_response())
    }
}
