//! Whether the PostgreSQL server of a `DATABASE_URL` can be reached, and
//! why not: a first start waits for a server that is coming up, and fails
//! at once on what no waiting cures (credentials, a bad URL).

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};

/// Where a URL points, for messages: host (or socket folder), port, database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub database: String,
}

impl Target {
    /// The target of `url`; `Err` when it is not a PostgreSQL URL.
    pub fn of(url: &str) -> Result<Self, String> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| format!("DATABASE_URL is not a PostgreSQL URL: {e}"))?;
        Ok(Self {
            host: options.get_socket().map_or_else(
                || options.get_host().to_owned(),
                |s| s.display().to_string(),
            ),
            port: options.get_port(),
            user: options.get_username().to_owned(),
            database: options.get_database().unwrap_or("postgres").to_owned(),
        })
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "database {} on {}:{} as {}",
            self.database, self.host, self.port, self.user
        )
    }
}

/// Why one attempt to reach the server failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// Worth waiting for: nothing listens yet, the name does not resolve
    /// yet, the attempt timed out, or the server is starting up.
    Wait(String),
    /// Waiting will not help: say so and stop.
    Fail(String),
}

/// One attempt to reach the server `url` names, through its maintenance
/// database `postgres` (the named one may not exist yet), within `timeout`.
pub async fn try_reach(url: &str, timeout: Duration) -> Result<(), Unreachable> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| Unreachable::Fail(format!("DATABASE_URL is not a PostgreSQL URL: {e}")))?
        .database("postgres")
        .disable_statement_logging();
    match tokio::time::timeout(timeout, PgConnection::connect_with(&options)).await {
        Err(_) => Err(Unreachable::Wait(format!(
            "no answer within {} s",
            timeout.as_secs()
        ))),
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(classify(&e)),
    }
}

fn classify(e: &sqlx::Error) -> Unreachable {
    match e {
        sqlx::Error::Io(io) => {
            use std::io::ErrorKind;
            let why = match io.kind() {
                ErrorKind::ConnectionRefused => {
                    "connection refused: nothing listens there".to_owned()
                }
                ErrorKind::NotFound => "no socket there: the server is not running".to_owned(),
                _ if io.to_string().contains("lookup") || io.to_string().contains("resolve") => {
                    format!("the host name does not resolve ({io})")
                }
                _ => io.to_string(),
            };
            Unreachable::Wait(why)
        }
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                // The server is starting up or shutting down (cannot_connect_now),
                // or full for a moment.
                "57P03" | "53300" => Unreachable::Wait(db.message().to_owned()),
                "28P01" | "28000" => Unreachable::Fail(format!(
                    "authentication failed ({}): check the user and password in DATABASE_URL",
                    db.message()
                )),
                _ => Unreachable::Fail(db.message().to_owned()),
            }
        }
        sqlx::Error::Tls(t) => Unreachable::Fail(format!("TLS: {t}")),
        sqlx::Error::Configuration(c) => Unreachable::Fail(format!("DATABASE_URL: {c}")),
        sqlx::Error::PoolTimedOut => Unreachable::Wait("timed out".into()),
        other => {
            // Name resolution failures come through as I/O errors on most
            // platforms; anything else is most likely transient too.
            Unreachable::Wait(other.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_names_host_port_database_and_user() {
        let t = Target::of("postgres://ada:secret@db.example:6543/liaison").expect("a URL");
        assert_eq!(t.to_string(), "database liaison on db.example:6543 as ada");
        let socket =
            Target::of("postgres://postgres@localhost/liaison?host=/srv/pg").expect("a URL");
        assert_eq!(socket.host, "/srv/pg");
        assert!(Target::of("postgres://h:notaport/db").is_err());
    }
}
