//! Members' actor facts (roles, ambassadorships, verification, the
//! password's date), kept in memory for reads, so that a `GET` with a token
//! costs no more than one without: resolving them was a query of its own on
//! every request.
//!
//! Kept right by PostgreSQL: triggers on `members` and `ambassadorships`
//! notify `liaison_actors` with the member's id at commit (migration
//! 000016), and every process's listener forgets that member at once.
//! While the listener is not connected nothing is kept, since a change
//! could go unheard. A fact is kept `ttl` at most, and for one day (terms
//! start and end by date). Writes never use it: whoever acts is checked
//! against the database itself.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use liaison_persistence::database::Channel;
use liaison_persistence::members::{ActorFacts, ACTOR_CHANGES};
use uuid::Uuid;

/// Members kept at once; beyond, the memory starts afresh.
const MAX_KEPT: usize = 10_000;

/// The facts of members who presented a token lately.
pub struct KnownMembers {
    ttl: Duration,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Whether the listener is connected: nothing is kept otherwise.
    listening: bool,
    /// Bumped by every change heard: facts read before a change are not kept.
    generation: u64,
    facts: HashMap<Uuid, Kept>,
}

struct Kept {
    facts: ActorFacts,
    today: NaiveDate,
    at: Instant,
}

impl KnownMembers {
    /// Keeps facts for `ttl`; zero keeps nothing.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The facts of `member` on `today`, when kept.
    pub fn get(&self, member: Uuid, today: NaiveDate) -> Option<ActorFacts> {
        if self.ttl.is_zero() {
            return None;
        }
        let inner = self.inner();
        let kept = inner.facts.get(&member)?;
        (inner.listening && kept.today == today && kept.at.elapsed() < self.ttl)
            .then(|| kept.facts.clone())
    }

    /// The generation to hand back to [`KnownMembers::keep`]: taken before
    /// the facts are read.
    pub fn generation(&self) -> u64 {
        self.inner().generation
    }

    /// Keeps `facts`, read on `today` since `generation`, unless a change
    /// was heard meanwhile.
    pub fn keep(&self, member: Uuid, today: NaiveDate, facts: ActorFacts, generation: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let mut inner = self.inner();
        if !inner.listening || inner.generation != generation {
            return;
        }
        if inner.facts.len() >= MAX_KEPT {
            inner.facts.clear();
        }
        let at = Instant::now();
        inner.facts.insert(member, Kept { facts, today, at });
    }

    /// Forgets `member`, or everyone.
    fn forget(&self, member: Option<Uuid>) {
        let mut inner = self.inner();
        inner.generation += 1;
        match member {
            Some(id) => {
                inner.facts.remove(&id);
            }
            None => inner.facts.clear(),
        }
    }

    fn set_listening(&self, listening: bool) {
        self.forget(None);
        self.inner().listening = listening;
    }

    /// Listens for changes on the database at `url` until aborted,
    /// reconnecting after a failure.
    pub fn listen(self: Arc<Self>, url: String) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            if self.ttl.is_zero() {
                return;
            }
            loop {
                match Channel::listen(&url, ACTOR_CHANGES).await {
                    Ok(mut changes) => {
                        self.set_listening(true);
                        loop {
                            match changes.next().await {
                                // A payload that names nobody: anyone may have changed.
                                Ok(member) => self.forget(member.parse().ok()),
                                Err(err) => {
                                    tracing::warn!(error = %err, "lost the actor-change listener; reading every caller afresh");
                                    break;
                                }
                            }
                        }
                        self.set_listening(false);
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "cannot listen for actor changes; reading every caller afresh")
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    }
}
