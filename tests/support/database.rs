//! The databases: a template migrated once, a fresh copy per test, SQL to
//! arrange and read back, and a proxy that can cut a test off from PostgreSQL.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use sha2_shim::hash_sources;
use tokio::sync::OnceCell;
use uuid::Uuid;

/// The server that holds the test databases; `LIAISON_TEST_DATABASE_SERVER` overrides it.
pub fn server_url() -> String {
    server().0.clone()
}

/// The URL of database `name` on the test server.
pub fn database_url(name: &str) -> String {
    let (base, query) = server();
    format!("{base}/{name}{query}")
}

/// The tests' PostgreSQL: `(base, query)` of [`liaison_api::devdb::test_server`].
fn server() -> &'static (String, String) {
    static SERVER: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
            || std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")),
            Into::into,
        );
        liaison_api::devdb::test_server(&target)
            .unwrap_or_else(|e| panic!("no PostgreSQL for the tests: {e}"))
    })
}

mod sha2_shim {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    /// A stable fingerprint of the migration sources, so a changed migration gets a new template.
    pub fn hash_sources() -> String {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/src");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let mut hasher = DefaultHasher::new();
        for f in files {
            std::fs::read(&f).unwrap_or_default().hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    }
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

async fn admin_connection() -> DatabaseConnection {
    Database::connect(database_url("postgres"))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is required for the test suite ({}): {e}",
                server_url()
            )
        })
}

async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("liaison_tpl_{}", hash_sources());
            let admin = admin_connection().await;
            // Session-level advisory lock: one process builds the template, others wait.
            admin
                .execute_unprepared("SELECT pg_advisory_lock(7355608)")
                .await
                .expect("advisory lock");
            let exists = admin
                .query_one(Statement::from_sql_and_values(
                    admin.get_database_backend(),
                    "SELECT 1 FROM pg_database WHERE datname = $1",
                    [name.clone().into()],
                ))
                .await
                .expect("look up template")
                .is_some();
            if !exists {
                let building = format!("{name}_building");
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .await
                    .expect("drop stale template");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {building}"))
                    .await
                    .expect("create template");
                let db = Database::connect(database_url(&building))
                    .await
                    .expect("connect template");
                Migrator::up(&db, None).await.expect("migrate template");
                db.close().await.expect("close template");
                // Renamed only once complete, so nobody copies a half-migrated template.
                admin
                    .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .await
                    .expect("rename template");
            }
            admin
                .execute_unprepared("SELECT pg_advisory_unlock(7355608)")
                .await
                .expect("advisory unlock");
            admin.close().await.expect("close admin");
            name
        })
        .await
        .clone()
}

/// Creates a fresh database copied from the migrated template.
pub async fn fresh_database() -> String {
    let template = template().await;
    let name = format!("liaison_test_{}", Uuid::new_v4().simple());
    let admin = admin_connection().await;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("create test database");
    admin.close().await.expect("close admin");
    name
}

/// Creates an empty database (no migration applied), for tests of the
/// migrations themselves; its name.
pub async fn empty_database() -> String {
    let name = format!("liaison_test_{}", Uuid::new_v4().simple());
    let admin = admin_connection().await;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create empty database");
    admin.close().await.expect("close admin");
    name
}

/// Drops a database a test made.
pub async fn drop_database(name: &str) {
    let admin = admin_connection().await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .expect("drop database");
    admin.close().await.expect("close admin");
}

/// Counts rows of a table, for read-backs that prove nothing was written.
pub async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    db.query_one(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT count(*)::bigint AS n FROM {table}"),
    ))
    .await
    .expect("count")
    .and_then(|row| row.try_get::<i64>("", "n").ok())
    .expect("count row")
}

/// Runs SQL that arranges data.
pub async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.expect("arrange with SQL");
}

/// One number from SQL (a column `n`).
pub async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .expect("a number")
}

/// A TCP proxy in front of PostgreSQL that a test can cut and restore, to
/// make the database unreachable for one app without disturbing the others.
pub struct DbProxy {
    port: u16,
    accept_loop: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

fn database_address() -> String {
    std::env::var("LIAISON_TEST_DATABASE_ADDR").unwrap_or_else(|_| "127.0.0.1:5432".into())
}

impl DbProxy {
    /// Starts forwarding from a free local port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind proxy");
        let port = listener.local_addr().expect("proxy address").port();
        Self {
            port,
            accept_loop: std::sync::Mutex::new(Some(Self::serve(listener))),
        }
    }

    fn serve(listener: tokio::net::TcpListener) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            // Connections live in this set: aborting the loop drops the set,
            // which aborts every forwarded connection at once.
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                connections.spawn(async move {
                    if let Ok(mut outbound) =
                        tokio::net::TcpStream::connect(database_address()).await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        })
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Drops every connection and stops listening: the database is unreachable.
    pub fn cut(&self) {
        if let Some(handle) = self.accept_loop.lock().ok().and_then(|mut h| h.take()) {
            handle.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restore(&self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("rebind proxy");
        if let Ok(mut slot) = self.accept_loop.lock() {
            *slot = Some(Self::serve(listener));
        }
    }
}
