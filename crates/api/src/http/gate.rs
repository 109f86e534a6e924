//! A gate bounds one class of work (password hashing, CSV exports, syncs,
//! change-feed reads): at most so many requests inside at once. The rest
//! wait at most `wait` for a place and then answer 503 `unavailable` with
//! `Retry-After`, so a flood meets a fixed amount of work and a short, bounded
//! queue instead of growing memory, threads or database load without limit.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// One class of bounded work.
#[derive(Debug)]
pub struct Gate {
    name: &'static str,
    capacity: usize,
    places: Arc<Semaphore>,
    wait: Duration,
    waiting: AtomicUsize,
    rejected: AtomicU64,
    busy_detail: &'static str,
}

/// What a gate is doing now, for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateReading {
    /// Requests inside.
    pub in_use: usize,
    /// Requests waiting for a place.
    pub waiting: usize,
    /// Requests refused with 503 since start.
    pub rejected: u64,
    /// Places in all.
    pub capacity: usize,
}

/// A place inside a gate, held until dropped.
#[derive(Debug)]
pub struct Pass(#[expect(dead_code, reason = "held for its Drop")] OwnedSemaphorePermit);

impl Gate {
    /// A gate with `capacity` places and a bounded `wait`; `busy_detail` is
    /// the problem's detail when the wait runs out.
    pub fn new(
        name: &'static str,
        capacity: usize,
        wait: Duration,
        busy_detail: &'static str,
    ) -> Self {
        let capacity = capacity.max(1);
        Self {
            name,
            capacity,
            places: Arc::new(Semaphore::new(capacity)),
            wait,
            waiting: AtomicUsize::new(0),
            rejected: AtomicU64::new(0),
            busy_detail,
        }
    }

    /// The gate's name, the `gate` label in `/metrics`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Waits at most `wait` for a place; 503 after that.
    pub async fn enter(&self) -> Result<Pass, ApiError> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let acquired =
            tokio::time::timeout(self.wait, Arc::clone(&self.places).acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        match acquired {
            Ok(Ok(permit)) => Ok(Pass(permit)),
            Ok(Err(_)) => Err(ApiError::Internal(format!(
                "the {} gate is closed",
                self.name
            ))),
            Err(_) => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                Err(ApiError::Busy {
                    retry_after: self.wait.as_secs().max(1) as u32,
                    detail: self.busy_detail,
                })
            }
        }
    }

    /// What the gate is doing now.
    pub fn reading(&self) -> GateReading {
        GateReading {
            in_use: self.capacity - self.places.available_permits(),
            waiting: self.waiting.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            capacity: self.capacity,
        }
    }
}

/// The gates of one server process.
#[derive(Debug)]
pub struct Gates {
    /// CSV exports streaming at once.
    pub csv_exports: Gate,
    /// Bulk event syncs at once.
    pub syncs: Gate,
    /// Change-feed pages at once.
    pub feed_reads: Gate,
}

impl Gates {
    /// The gates the settings ask for.
    pub fn new(limits: &crate::settings::Limits) -> Self {
        Self {
            csv_exports: Gate::new(
                "csv_exports",
                limits.csv_exports,
                limits.queue_wait,
                "too many CSV exports are running; retry shortly",
            ),
            syncs: Gate::new(
                "syncs",
                limits.syncs,
                limits.queue_wait,
                "too many event syncs and contribution imports are running; retry shortly",
            ),
            feed_reads: Gate::new(
                "feed_reads",
                limits.feed_reads,
                limits.queue_wait,
                "too many change-feed reads are running; retry shortly",
            ),
        }
    }

    /// Every gate, for `/metrics`.
    pub fn all(&self) -> [&Gate; 3] {
        [&self.csv_exports, &self.syncs, &self.feed_reads]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_gate_refuses_after_the_wait_and_reopens_when_a_place_is_freed() {
        let gate = Gate::new("test", 1, Duration::from_millis(20), "busy");
        let inside = gate.enter().await.expect("first place");
        let refused = gate.enter().await;
        assert!(matches!(refused, Err(ApiError::Busy { .. })), "{refused:?}");
        assert_eq!(
            gate.reading(),
            GateReading {
                in_use: 1,
                waiting: 0,
                rejected: 1,
                capacity: 1
            }
        );
        drop(inside);
        assert!(gate.enter().await.is_ok());
    }

    #[tokio::test]
    async fn a_waiter_gets_the_place_freed_within_the_wait() {
        let gate = Arc::new(Gate::new("test", 1, Duration::from_secs(5), "busy"));
        let inside = gate.enter().await.expect("first place");
        let waiter = {
            let gate = Arc::clone(&gate);
            tokio::spawn(async move { gate.enter().await.map(|_| ()) })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(gate.reading().waiting, 1);
        drop(inside);
        assert!(waiter.await.expect("join").is_ok());
    }
}
