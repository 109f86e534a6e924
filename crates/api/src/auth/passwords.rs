//! Argon2id password hashing on a bounded pool of its own threads.
//!
//! Each verification needs an `m_cost` block of memory (19 MiB by default).
//! Run on tokio's blocking pool, a burst of sign-ins spawned a thread and
//! allocated a block per request: 64 at once took the server to 6 GB. Here a
//! fixed number of workers (one per core by default) each own one block,
//! allocated once and reused, so memory is `workers × m_cost` whatever the
//! concurrency. A request waits for a worker at most `wait`; beyond that it
//! answers 503 with `Retry-After` instead of queueing without limit.
//!
//! The workers run at the idle scheduling priority by default (`SCHED_IDLE`),
//! so that reads and writes that need little CPU are not delayed behind a
//! flood of sign-ins: a nice value alone lowers a thread's share, but once
//! scheduled it still runs a whole slice, which added milliseconds to every
//! other request's tail (measured in `docs/benchmarks.md`).
//!
//! Unknown emails are checked against a decoy hash computed once at start,
//! through the same pool, so they cost exactly one verification, like a known
//! email with a wrong password.

use std::sync::{mpsc, Arc, Mutex};

use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

use crate::error::ApiError;
use crate::http::gate::Gate;
use crate::settings::{Argon2Params, HashPriority, HashingSettings};

/// Work for a hashing thread: it gets the thread's reusable memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// The password pool. Dropping it stops its threads.
pub struct Passwords {
    jobs: mpsc::SyncSender<Job>,
    /// One place per worker: a job is only sent from inside the gate.
    gate: Gate,
    params: Argon2Params,
    decoy: String,
}

/// Why the pool could not start.
#[derive(Debug, thiserror::Error)]
#[error("password hashing: {0}")]
pub struct PoolError(String);

fn argon2id(params: Argon2Params) -> Result<Argon2<'static>, String> {
    let params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        None,
    )
    .map_err(|e| format!("argon2 params: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Makes `memory` hold at least `blocks` blocks; it never shrinks, so the
/// configured cost is allocated once per thread.
fn ensure_blocks(memory: &mut Vec<Block>, blocks: usize) {
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
}

/// Hashes a password into a PHC string, in `memory`.
fn hash_with(
    password: &[u8],
    params: Argon2Params,
    memory: &mut Vec<Block>,
) -> Result<String, String> {
    let argon = argon2id(params)?;
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| format!("salt: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    ensure_blocks(memory, argon.params().block_count());
    argon
        .hash_password_into_with_memory(password, salt_raw, &mut out, &mut memory[..])
        .map_err(|e| format!("argon2 hash: {e}"))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| format!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| format!("output: {e}"))?),
    };
    Ok(hash.to_string())
}

/// Checks a password against a PHC string (its parameters come from the
/// string), in `memory`. The comparison is constant-time (`Output`'s `==`).
fn verify_with(password: &[u8], phc: &str, memory: &mut Vec<Block>) -> Result<bool, String> {
    let hash = PasswordHash::new(phc).map_err(|e| format!("stored hash: {e}"))?;
    let algorithm = Algorithm::try_from(hash.algorithm).map_err(|e| format!("algorithm: {e}"))?;
    let version = hash
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| format!("version: {e}"))?
        .unwrap_or_default();
    let params = Params::try_from(&hash).map_err(|e| format!("params: {e}"))?;
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return Err("stored hash has no salt or no output".into());
    };
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| format!("salt: {e}"))?;
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    ensure_blocks(memory, argon.params().block_count());
    argon
        .hash_password_into_with_memory(password, salt_raw, &mut out, &mut memory[..])
        .map_err(|e| format!("argon2 verify: {e}"))?;
    let computed = Output::new(&out).map_err(|e| format!("output: {e}"))?;
    Ok(computed == expected)
}

/// Lowers the calling thread's priority. Failure only costs latency
/// elsewhere, so it is logged, not fatal.
fn lower_priority(priority: HashPriority) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: both calls act on the calling thread only (`0` and its own
        // id) and read nothing but the parameter struct passed in.
        let status = unsafe {
            match priority {
                HashPriority::Idle => {
                    let param = libc::sched_param { sched_priority: 0 };
                    libc::sched_setscheduler(0, libc::SCHED_IDLE, &param)
                }
                HashPriority::Nice(0) => 0,
                HashPriority::Nice(nice) => {
                    libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, nice)
                }
            }
        };
        if status != 0 {
            tracing::warn!(
                ?priority,
                error = %std::io::Error::last_os_error(),
                "cannot lower the priority of a password thread"
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = priority;
}

impl Passwords {
    /// Starts the workers and computes the decoy hash on one of them.
    pub fn start(settings: &HashingSettings) -> Result<Self, PoolError> {
        let workers = settings.workers.max(1);
        argon2id(settings.argon2).map_err(PoolError)?;
        // The channel holds at most one job per worker: a job is only sent
        // from inside the gate, which has one place per worker.
        let (jobs, queue) = mpsc::sync_channel::<Job>(workers);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers {
            let queue = Arc::clone(&queue);
            let priority = settings.priority;
            std::thread::Builder::new()
                .name(format!("liaison-hash-{n}"))
                .spawn(move || {
                    lower_priority(priority);
                    // Allocated by the first job, then reused by every other.
                    let mut memory = Vec::new();
                    loop {
                        // The lock is held only while taking the next job.
                        let next = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(&mut memory),
                            Err(_) => return, // the pool was dropped
                        }
                    }
                })
                .map_err(|e| PoolError(format!("cannot start a hashing thread: {e}")))?;
        }
        // The decoy is computed once, here, by a worker like any hash.
        let params = settings.argon2;
        let (tx, rx) = mpsc::sync_channel(1);
        let decoy_password = crate::auth::secrets::random_token(24);
        jobs.send(Box::new(move |memory: &mut Vec<Block>| {
            let _ = tx.send(hash_with(decoy_password.as_bytes(), params, memory));
        }))
        .map_err(|_| PoolError("the hashing threads stopped".into()))?;
        let decoy = rx
            .recv()
            .map_err(|_| PoolError("the hashing threads stopped".into()))?
            .map_err(PoolError)?;
        Ok(Self {
            jobs,
            gate: Gate::new(
                "passwords",
                workers,
                settings.wait,
                "every password worker is busy; retry shortly",
            ),
            params,
            decoy,
        })
    }

    /// The workers' gate: how many are busy, how many requests wait.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// Runs `work` on a worker and answers its result.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> Result<T, String> + Send + 'static,
    ) -> Result<T, ApiError> {
        let pass = self.gate.enter().await?;
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            // The place goes back with the result and is freed by the
            // requester: a low-priority thread must not take the gate's lock,
            // which the request threads also take, or it could be preempted
            // holding it and stall them (priority inversion).
            let _ = tx.send((work(memory), pass));
        });
        self.jobs
            .try_send(job)
            .map_err(|e| ApiError::Internal(format!("hashing queue: {e}")))?;
        let (result, _pass) = rx
            .await
            .map_err(|_| ApiError::Internal("a hashing thread stopped".into()))?;
        result.map_err(ApiError::Internal)
    }

    /// Hashes a password into a PHC string with the configured cost.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let params = self.params;
        self.run(move |memory| hash_with(password.as_bytes(), params, memory))
            .await
    }

    /// Checks a password against a stored PHC string.
    pub async fn verify(&self, password: String, phc: String) -> Result<bool, ApiError> {
        self.run(move |memory| verify_with(password.as_bytes(), &phc, memory))
            .await
    }

    /// Whether a stored hash was made with other parameters (or another
    /// algorithm) than the configured ones: sign-in then hashes the
    /// password again, so raising the cost reaches every active account.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(hash) = PasswordHash::new(phc) else {
            return true;
        };
        let Ok(params) = Params::try_from(&hash) else {
            return true;
        };
        hash.algorithm != Algorithm::Argon2id.ident()
            || hash.version != Some(Version::V0x13.into())
            || params.m_cost() != self.params.memory_kib
            || params.t_cost() != self.params.iterations
            || params.p_cost() != self.params.parallelism
    }

    /// Spends one verification against the decoy, for an unknown email.
    pub async fn verify_decoy(&self, password: String) -> Result<(), ApiError> {
        self.verify(password, self.decoy.clone()).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn settings(workers: usize, wait: Duration) -> HashingSettings {
        HashingSettings {
            argon2: Argon2Params {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
            },
            workers,
            wait,
            priority: HashPriority::Nice(0),
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let pool = Passwords::start(&settings(1, Duration::from_secs(5))).expect("pool");
        let phc = pool.hash("correct horse".into()).await.expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{phc}");
        assert!(pool
            .verify("correct horse".into(), phc.clone())
            .await
            .expect("verify"));
        assert!(!pool
            .verify("wrong horse".into(), phc)
            .await
            .expect("verify"));
    }

    #[tokio::test]
    async fn a_hash_with_other_parameters_needs_rehashing_and_its_own_does_not() {
        let pool = Passwords::start(&settings(1, Duration::from_secs(5))).expect("pool");
        let own = pool.hash("correct horse".into()).await.expect("hash");
        assert!(!pool.needs_rehash(&own));
        let mut other = settings(1, Duration::from_secs(5));
        other.argon2.memory_kib = 2048;
        let older = Passwords::start(&other).expect("pool");
        let theirs = older.hash("correct horse".into()).await.expect("hash");
        assert!(pool.needs_rehash(&theirs));
        assert!(pool.needs_rehash("not a hash"));
    }

    #[tokio::test]
    async fn hashes_made_by_the_argon2_crate_verify_on_the_pool() {
        use argon2::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let phc = Argon2::default()
            .hash_password(b"an older hash", &salt)
            .expect("hash")
            .to_string();
        let pool = Passwords::start(&settings(1, Duration::from_secs(5))).expect("pool");
        assert!(pool
            .verify("an older hash".into(), phc)
            .await
            .expect("verify"));
    }

    #[tokio::test]
    async fn requests_beyond_the_pool_are_refused_after_the_wait() {
        let pool =
            Arc::new(Passwords::start(&settings(1, Duration::from_millis(20))).expect("pool"));
        // Hold the only worker for longer than the wait.
        let held = Arc::clone(&pool);
        let slow = tokio::spawn(async move {
            held.run(|_| {
                std::thread::sleep(Duration::from_millis(300));
                Ok(())
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let refused = pool.hash("x".into()).await;
        assert!(matches!(refused, Err(ApiError::Busy { .. })), "{refused:?}");
        assert_eq!(pool.gate().reading().rejected, 1);
        assert!(slow.await.expect("join").is_ok());
        assert!(pool.hash("x".into()).await.is_ok(), "free again");
    }
}
