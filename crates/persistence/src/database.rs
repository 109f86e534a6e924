//! Connecting, creating the database when it is missing, and migrating.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Pool settings the server is started with.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// Most connections held open.
    pub max_connections: u32,
    /// How long a request waits for a connection before answering 503.
    pub acquire_timeout: Duration,
    /// The longest any one statement may run (`statement_timeout`), set on
    /// every connection; bulk work raises it for its own transaction with
    /// [`allow_bulk_statements`]. Zero means no limit.
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 20,
            acquire_timeout: Duration::from_secs(3),
            statement_timeout: Duration::from_secs(5),
        }
    }
}

/// Opens a pool. Connections are pinged before use and the acquire timeout is
/// short, so while PostgreSQL is away requests fail fast (503) and the pool
/// reconnects by itself when it returns.
pub async fn connect(url: &str, pool: &PoolSettings) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(pool.max_connections)
        .min_connections(0)
        .connect_timeout(pool.acquire_timeout)
        .acquire_timeout(pool.acquire_timeout)
        .idle_timeout(Duration::from_secs(300))
        .test_before_acquire(true)
        .sqlx_logging(false);
    // A slow or blocked statement gives its connection back after this
    // long instead of holding it while every other request queues for one.
    let timeout = pool.statement_timeout.as_millis().to_string();
    options.map_sqlx_postgres_opts(move |o| o.options([("statement_timeout", timeout.as_str())]));
    Database::connect(options).await
}

/// Raises `statement_timeout` for the rest of the transaction `txn`, for
/// bulk work (syncs, eligibility lists, bulk issuance) whose statements
/// legitimately run longer than an ordinary request's; plans each statement
/// for its own values and lets it sort in memory.
pub async fn allow_bulk_statements(
    txn: &impl ConnectionTrait,
    timeout: Duration,
) -> Result<(), DbErr> {
    // A custom plan each time: eligibility's rules are bound values, and the
    // plan that reads a million rows in index order is right only for them.
    // Room to sort its 70,000 eligible members in memory.
    txn.execute_unprepared(&format!(
        "SET LOCAL statement_timeout = {}; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL work_mem = '32MB'",
        timeout.as_millis()
    ))
    .await
    .map(|_| ())
}

/// Splits `postgres://…/name?opts` into the URL of the server's `postgres`
/// database and the database name.
pub fn split_database_url(url: &str) -> Option<(String, String)> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let slash = base.rfind('/')?;
    if base[..slash].ends_with('/') {
        return None; // no database name in the URL
    }
    let name = base[slash + 1..].to_owned();
    if name.is_empty() {
        return None;
    }
    let mut admin = format!("{}/postgres", &base[..slash]);
    if let Some(q) = query {
        admin.push('?');
        admin.push_str(q);
    }
    Some((admin, name))
}

/// Creates the database named in `url` when it does not exist yet.
pub async fn ensure_database(url: &str) -> Result<(), DbErr> {
    let Some((admin_url, name)) = split_database_url(url) else {
        return Err(DbErr::Custom(format!(
            "no database name in DATABASE_URL {url}"
        )));
    };
    let admin = Database::connect(
        ConnectOptions::new(admin_url)
            .sqlx_logging(false)
            .to_owned(),
    )
    .await?;
    let exists = admin
        .query_one(crate::stmt(
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.clone().into()],
        ))
        .await?
        .is_some();
    if !exists {
        let quoted = name.replace('"', "\"\"");
        let created = admin
            .execute_unprepared(&format!("CREATE DATABASE \"{quoted}\""))
            .await;
        // Another process may have created it meanwhile (42P04 duplicate_database).
        if let Err(err) = created {
            if !err.to_string().contains("already exists") {
                return Err(err);
            }
        }
    }
    admin.close().await
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// A connection of its own listening on one channel that triggers notify
/// (the outbox's wakeups, the actors' changes).
pub struct Channel(sqlx::postgres::PgListener);

impl Channel {
    /// Listens on channel `name` of the database at `url`.
    pub async fn listen(url: &str, name: &str) -> Result<Self, String> {
        let mut listener = sqlx::postgres::PgListener::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        listener.listen(name).await.map_err(|e| e.to_string())?;
        Ok(Self(listener))
    }

    /// The next notification's payload; `Err` when the connection was lost,
    /// after which notifications may have been missed.
    pub async fn next(&mut self) -> Result<String, String> {
        match self.0.try_recv().await {
            Ok(Some(n)) => Ok(n.payload().to_owned()),
            Ok(None) => Err("the connection was lost".into()),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_database_url;

    #[test]
    fn splits_urls() {
        assert_eq!(
            split_database_url("postgres://postgres@127.0.0.1:5432/liaison"),
            Some((
                "postgres://postgres@127.0.0.1:5432/postgres".into(),
                "liaison".into()
            ))
        );
        assert_eq!(
            split_database_url("postgres://u:p@h/db?sslmode=disable"),
            Some((
                "postgres://u:p@h/postgres?sslmode=disable".into(),
                "db".into()
            ))
        );
        assert_eq!(split_database_url("postgres://h"), None);
    }
}
