//! Answers that many ask for and few change (the feedback summary: one
//! statement over every item and vote) are computed once for everyone who
//! asks within `ttl`, per process: concurrent askers wait for the one
//! computation instead of each running it (single flight). An answer is
//! at most `ttl` old, which `Cache-Control: max-age` says; zero turns the
//! memo off.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use crate::error::ApiError;

/// Distinct questions kept at once; beyond, the memo starts afresh.
const MAX_SLOTS: usize = 256;

/// Computed answers by question.
pub struct Memo {
    ttl: Duration,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

/// One question's answer, computed once.
struct Slot {
    born: Instant,
    answer: OnceCell<Arc<Vec<u8>>>,
}

impl Memo {
    /// A memo keeping answers for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// How long an answer is kept.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The answer to `question`: the one computed within `ttl`, or the one
    /// `compute` gives now (a failure is not kept).
    pub async fn answer<F, Fut>(
        &self,
        question: String,
        compute: F,
    ) -> Result<Arc<Vec<u8>>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<u8>, ApiError>>,
    {
        if self.ttl.is_zero() {
            return compute().await.map(Arc::new);
        }
        let slot = {
            let mut slots = self
                .slots
                .lock()
                .map_err(|_| ApiError::Internal("memo lock poisoned".into()))?;
            slots.retain(|_, s| s.born.elapsed() < self.ttl);
            if slots.len() >= MAX_SLOTS {
                slots.clear();
            }
            slots
                .entry(question)
                .or_insert_with(|| {
                    Arc::new(Slot {
                        born: Instant::now(),
                        answer: OnceCell::new(),
                    })
                })
                .clone()
        };
        slot.answer
            .get_or_try_init(|| async { compute().await.map(Arc::new) })
            .await
            .cloned()
    }
}
