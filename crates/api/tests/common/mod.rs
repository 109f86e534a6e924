//! Running the real `liaison` binary for tests that need whole processes.
#![allow(dead_code, reason = "each test binary uses a part of these")]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

pub const BIN: &str = env!("CARGO_BIN_EXE_liaison");
pub const SECRET: &str = "two-process-secret-two-process-secret";

/// The URL of database `name` on the tests' PostgreSQL
/// ([`liaison_api::devdb::test_server`]).
pub fn database_url(name: &str) -> String {
    static SERVER: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    let (base, query) = SERVER.get_or_init(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
            || std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")),
            Into::into,
        );
        liaison_api::devdb::test_server(&target)
            .unwrap_or_else(|e| panic!("no PostgreSQL for the tests: {e}"))
    });
    format!("{base}/{name}{query}")
}

/// A `liaison serve` child process, killed when dropped.
pub struct Serve(pub Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn liaison(url: &str, args: &[&str], port: u16) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("DATABASE_URL", url)
        .env("LIAISON_PORT", port.to_string())
        .env("LIAISON_JWT_SECRET", SECRET)
        .env("LIAISON_ARGON2_MEMORY_KIB", "1024")
        .env("LIAISON_ARGON2_ITERATIONS", "1")
        .env("LIAISON_WORKERS", "2")
        .env("RUST_LOG", "warn")
        // Mail goes to a folder of the test's own, never into the checkout.
        .env(
            "LIAISON_MAIL_DIR",
            std::env::temp_dir().join(format!(
                "liaison-mail-{}",
                url.rsplit('/')
                    .next()
                    .unwrap_or("x")
                    .split('?')
                    .next()
                    .unwrap_or("x")
            )),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

pub async fn wait_ready(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if reqwest::get(format!("{base}/readyz"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{base} did not become ready");
}

pub async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .expect("query")
    .and_then(|r| r.try_get::<i64>("", "n").ok())
    .expect("a count")
}

/// A migrated database of its own, dropped by [`drop_database`].
pub async fn migrated_database(prefix: &str) -> (String, String) {
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let url = database_url(&name);
    let migrated = liaison(&url, &["migrate"], 0)
        .status()
        .expect("run liaison migrate");
    assert!(
        migrated.success(),
        "liaison migrate failed (is PostgreSQL running?)"
    );
    (name, url)
}

/// Drops a database made by [`migrated_database`].
pub async fn drop_database(name: &str) {
    if let Ok(admin) = Database::connect(database_url("postgres")).await {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    }
}

/// The access token of the admin `create-admin` made (`root@example.org`).
pub async fn admin_token(client: &reqwest::Client, base: &str) -> String {
    let token: serde_json::Value = client
        .post(format!("{base}/v1/auth/token"))
        .json(
            &serde_json::json!({"email": "root@example.org", "password": "correct horse battery"}),
        )
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("token");
    token["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}
