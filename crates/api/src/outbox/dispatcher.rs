//! The dispatcher: claims due rows (`FOR UPDATE SKIP LOCKED`, under a lease,
//! so several processes share the work and none takes a row another holds),
//! delivers each outside any transaction with a timeout, records the
//! attempt, and backs off on failure. Stopping is graceful: the delivery in
//! hand finishes, the rest of the batch is let go at once.

use std::time::Duration;

use chrono::Utc;
use liaison_domain::outbox::{next_attempt, Topic};
use liaison_persistence::database;
use liaison_persistence::outbox::{self, Claimed, Target};
use rand::Rng;
use sea_orm::{DatabaseConnection, TransactionTrait};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::mail::{Mail, Mailer};
use crate::settings::OutboxSettings;

/// Rows claimed at once.
const BATCH: i64 = 100;
/// The longest one delivery may take before it counts as failed.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

/// A running dispatcher.
pub struct Dispatcher {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Dispatcher {
    /// Starts dispatching in the background; `database_url` is for the
    /// connection that listens for new rows.
    pub fn start(db: DatabaseConnection, database_url: &str, settings: OutboxSettings) -> Self {
        let (stop, stopped) = watch::channel(false);
        // Unique per process and start, so two processes never share a lease.
        let worker = format!(
            "{}-{}",
            std::process::id(),
            crate::auth::secrets::random_token(8)
        );
        let mailer = Mailer::from_settings(&settings);
        let url = database_url.to_owned();
        let task = tokio::spawn(run(db, url, settings, worker, mailer, stopped));
        Self { stop, task }
    }

    /// Stops after the delivery in hand, letting go of the other claimed rows.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn run(
    db: DatabaseConnection,
    database_url: String,
    settings: OutboxSettings,
    worker: String,
    mailer: Mailer,
    mut stopped: watch::Receiver<bool>,
) {
    let lease = settings.lease.as_secs() as i64;
    let mut wakeups = Listening::new(database_url);
    while !*stopped.borrow() {
        let batch = match outbox::claim(&db, &worker, lease, BATCH).await {
            Ok(batch) => batch,
            Err(err) => {
                tracing::warn!(error = %err, "claiming the outbox failed");
                Vec::new()
            }
        };
        if batch.is_empty() {
            // Woken by a commit of new rows, else by the poll (which also
            // finds retries coming due and works when listening fails).
            tokio::select! {
                _ = wakeups.next() => {}
                _ = tokio::time::sleep(settings.poll) => {}
                _ = stopped.changed() => {}
            }
            continue;
        }
        for row in batch {
            if *stopped.borrow() {
                break;
            }
            deliver(&db, &worker, &mailer, settings.webhook_allow_private, row).await;
        }
    }
    match outbox::release(&db, &worker).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(rows = n, "stopping: claimed outbox rows let go"),
        Err(err) => {
            tracing::warn!(error = %err, "letting go of claimed outbox rows failed; their lease will")
        }
    }
}

/// The listening connection, opened (again) when needed and at most every
/// ten seconds, so a database that is away costs one attempt per interval.
struct Listening {
    url: String,
    wakeups: Option<database::Channel>,
    tried_at: Option<std::time::Instant>,
}

impl Listening {
    fn new(url: String) -> Self {
        Self {
            url,
            wakeups: None,
            tried_at: None,
        }
    }

    /// Resolves at the next commit of outbox rows; never, while not listening.
    async fn next(&mut self) {
        if self.wakeups.is_none()
            && self
                .tried_at
                .is_none_or(|t| t.elapsed() >= Duration::from_secs(10))
        {
            self.tried_at = Some(std::time::Instant::now());
            match database::Channel::listen(&self.url, outbox::WAKEUPS).await {
                Ok(w) => self.wakeups = Some(w),
                Err(e) => {
                    tracing::warn!(error = %e, "listening for new outbox rows failed; polling")
                }
            }
        }
        match &mut self.wakeups {
            Some(w) => {
                if let Err(e) = w.next().await {
                    tracing::warn!(error = %e, "the outbox listener dropped; polling");
                    self.wakeups = None;
                }
            }
            None => std::future::pending().await,
        }
    }
}

async fn deliver(
    db: &DatabaseConnection,
    worker: &str,
    mailer: &Mailer,
    allow_private: bool,
    row: Claimed,
) {
    let attempt = row.attempts + 1;
    let sent = match row.target {
        Target::Mail { .. } => match Mail::of(&row) {
            Ok(mail) => tokio::time::timeout(DELIVERY_TIMEOUT, mailer.send(row.id, &mail))
                .await
                .unwrap_or_else(|_| Err("timed out".into())),
            Err(e) => Err(e),
        },
        Target::Webhook(_) => super::webhook::deliver(db, &row, allow_private).await,
        Target::Batch { topic } => match expand(db, worker, &row, attempt, topic).await {
            Ok(()) => return,
            Err(e) => Err(e),
        },
    };
    let retry_at = match &sent {
        Ok(()) => None,
        Err(_) => next_attempt(
            row.created_at,
            Utc::now(),
            attempt,
            rand::thread_rng().gen(),
        ),
    };
    if let Err(e) = &sent {
        tracing::warn!(delivery = %row.id, attempt, error = %e, retry = ?retry_at, "delivery failed");
    }
    let outcome = sent
        .as_ref()
        .map(|_| ())
        .map_err(|e| (e.as_str(), retry_at));
    match outbox::record(db, row.id, worker, attempt, outcome).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(delivery = %row.id, "the lease passed to another worker before the attempt was recorded")
        }
        Err(err) => {
            tracing::warn!(delivery = %row.id, error = %err, "recording a delivery failed; it will be retried")
        }
    }
}

/// Expands a batch into its mails and records the attempt in one
/// transaction, so a batch is expanded once however often it is claimed.
async fn expand(
    db: &DatabaseConnection,
    worker: &str,
    row: &Claimed,
    attempt: i32,
    topic: Topic,
) -> Result<(), String> {
    if topic != Topic::PassIssued {
        return Err(format!("no batch expands into {topic} mails"));
    }
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    let mails = outbox::expand_pass_mails(&txn, row.id, worker)
        .await
        .map_err(|e| e.to_string())?;
    let recorded = outbox::record(&txn, row.id, worker, attempt, Ok(()))
        .await
        .map_err(|e| e.to_string())?;
    if !recorded {
        // Rolled back: the worker holding the lease now expands it.
        return Err("the lease passed to another worker".into());
    }
    txn.commit().await.map_err(|e| e.to_string())?;
    tracing::debug!(batch = %row.id, mails, "batch expanded");
    Ok(())
}
