//! The first start works or says why: which PostgreSQL to use (the
//! configured one, else one on 127.0.0.1:5432, else a private cluster), and
//! a visible wait for it, one log line per attempt, that gives up with what
//! to do.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use liaison_persistence::reachable::{try_reach, Target, Unreachable};

use crate::devdb::{self, DevDb};

/// A private cluster this process started, stopped when dropped.
pub struct PrivateDatabase {
    db: DevDb,
    started_here: bool,
}

impl PrivateDatabase {
    /// The URL of database `name` on it.
    pub fn url(&self, name: &str) -> String {
        self.db.url(name)
    }
}

impl Drop for PrivateDatabase {
    fn drop(&mut self) {
        if !self.started_here {
            return;
        }
        match self.db.stop() {
            Ok(_) => {
                tracing::info!(data_dir = %self.db.dir().display(), "private PostgreSQL stopped")
            }
            Err(e) => {
                tracing::warn!(error = %e, "the private PostgreSQL did not stop; `liaison dev-db stop` stops it")
            }
        }
    }
}

/// `LIAISON_DATA_DIR`, default `./.liaison/postgres`: the private cluster's folder.
pub fn data_dir() -> PathBuf {
    std::env::var_os("LIAISON_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from(".liaison/postgres"), PathBuf::from)
}

/// With no `DATABASE_URL` and nothing listening where a PostgreSQL is
/// looked for (`LIAISON_DB_PROBE_ADDR`, default 127.0.0.1:5432), starts (or
/// reuses) the private cluster and says so; `None` when a server is
/// configured or running. `Err` with what to do when there is no way.
pub fn private_database() -> Result<Option<PrivateDatabase>, String> {
    if std::env::var_os("DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        return Ok(None);
    }
    let probe = std::env::var("LIAISON_DB_PROBE_ADDR")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| devdb::DEFAULT_SERVER.to_owned());
    if devdb::listening(&probe) {
        return Ok(None);
    }
    let db = DevDb::at(&data_dir())?;
    let reused = db.dir().join("PG_VERSION").is_file();
    tracing::info!(
        data_dir = %db.dir().display(),
        "no DATABASE_URL and nothing listens on {probe}: using a private PostgreSQL in {} (a unix socket there, no TCP port){}",
        db.dir().display(),
        if reused { "" } else { "; creating it, which takes a few seconds" }
    );
    let started_here = db.start()?;
    if !started_here {
        tracing::info!("the private PostgreSQL was running already; it stays running after this process (`liaison dev-db stop` stops it)");
    }
    Ok(Some(PrivateDatabase { db, started_here }))
}

/// Waits until the server of `url` answers, logging each failed attempt
/// (what is awaited and why), for at most `timeout`; fails at once on what
/// waiting does not cure (credentials, a bad URL).
pub async fn wait_for_database(url: &str, timeout: Duration) -> Result<(), String> {
    let target = Target::of(url)?;
    let start = Instant::now();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let left = timeout.saturating_sub(start.elapsed());
        let reason = match try_reach(
            url,
            left.clamp(Duration::from_millis(500), Duration::from_secs(5)),
        )
        .await
        {
            Ok(()) => {
                if attempt > 1 {
                    tracing::info!(host = %target.host, port = target.port, database = %target.database, "PostgreSQL answers");
                }
                return Ok(());
            }
            Err(Unreachable::Fail(reason)) => {
                return Err(format!("cannot use PostgreSQL ({target}): {reason}"));
            }
            Err(Unreachable::Wait(reason)) => reason,
        };
        tracing::warn!(
            host = %target.host,
            port = target.port,
            database = %target.database,
            attempt,
            reason = %reason,
            "waiting for PostgreSQL at {}:{} (database {}): {reason}",
            target.host,
            target.port,
            target.database
        );
        if start.elapsed() + Duration::from_secs(1) > timeout {
            return Err(format!(
                "gave up waiting for PostgreSQL ({target}) after {} s: {reason}. Start PostgreSQL (Debian/Ubuntu: `sudo systemctl start postgresql`; Docker: `docker compose up db` with DATABASE_URL=postgres://postgres:liaison@127.0.0.1:5432/liaison), point DATABASE_URL at a server that runs, or unset DATABASE_URL to use a private one; LIAISON_DB_STARTUP_TIMEOUT_SECS waits longer",
                timeout.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
