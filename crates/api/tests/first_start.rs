//! The first start works or says why: a visible wait for PostgreSQL that
//! gives up, an immediate failure on bad credentials, and a private cluster
//! when no server is configured or running.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use liaison_api::devdb::DevDb;

mod common;

use common::{database_url, free_port, wait_ready, BIN, SECRET};

/// The binary with the test's settings and text logs, and no `DATABASE_URL`.
fn bare(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("LIAISON_JWT_SECRET", SECRET)
        .env("LIAISON_ARGON2_MEMORY_KIB", "1024")
        .env("LIAISON_ARGON2_ITERATIONS", "1")
        .env("LIAISON_LOG_FORMAT", "text")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .env("LIAISON_ADMIN_PASSWORD", "correct horse battery");
    command
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_start_command_waits_visibly_for_postgresql_then_gives_up_saying_what_to_do() {
    let port = free_port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/liaison");
    for args in [
        &["migrate"][..],
        &["serve"],
        &["seed-demo"],
        &["create-admin", "--email", "root@example.org"],
    ] {
        let start = Instant::now();
        let output = bare(args)
            .env("DATABASE_URL", &url)
            .env("LIAISON_DB_STARTUP_TIMEOUT_SECS", "3")
            .env("LIAISON_PORT", free_port().to_string())
            .output()
            .expect("run liaison");
        let took = start.elapsed();
        let stderr = stderr_of(&output);
        assert!(!output.status.success(), "{args:?} gave up with an error");
        assert!(took < Duration::from_secs(10), "{args:?} took {took:?}");
        let waits = stderr
            .lines()
            .filter(|l| l.contains(&format!("waiting for PostgreSQL at 127.0.0.1:{port} (database liaison): connection refused")))
            .count();
        assert!(
            waits >= 2,
            "{args:?}: one line per attempt, saying why:\n{stderr}"
        );
        assert!(
            stderr.contains("gave up waiting for PostgreSQL")
                && stderr.contains("LIAISON_DB_STARTUP_TIMEOUT_SECS")
                && stderr.contains("docker compose up db"),
            "{args:?}: what to do:\n{stderr}"
        );
    }
}

#[test]
fn bad_credentials_fail_at_once_without_waiting() {
    let url = database_url("liaison_first_start").replacen("postgres@", "no_such_role:wrong@", 1);
    let start = Instant::now();
    let output = bare(&["migrate"])
        .env("DATABASE_URL", &url)
        .env("LIAISON_DB_STARTUP_TIMEOUT_SECS", "30")
        .output()
        .expect("run liaison");
    let stderr = stderr_of(&output);
    assert!(!output.status.success());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(stderr.contains("authentication failed"), "{stderr}");
    assert!(!stderr.contains("waiting for PostgreSQL"), "{stderr}");
}

#[tokio::test]
async fn a_database_that_cannot_be_created_fails_at_once() {
    use sea_orm::{ConnectionTrait, Database};
    // A role that may sign in but not create databases.
    let admin = Database::connect(database_url("postgres"))
        .await
        .expect("connect");
    admin
        .execute_unprepared(
            "DO $$ BEGIN CREATE ROLE liaison_no_createdb LOGIN NOCREATEDB; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        )
        .await
        .expect("a role");
    let name = format!("liaison_not_created_{}", uuid::Uuid::new_v4().simple());
    let url = database_url(&name).replacen("postgres@", "liaison_no_createdb@", 1);
    let start = Instant::now();
    let output = bare(&["migrate"])
        .env("DATABASE_URL", &url)
        .env("LIAISON_DB_STARTUP_TIMEOUT_SECS", "30")
        .output()
        .expect("run liaison");
    let stderr = stderr_of(&output);
    assert!(!output.status.success());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(
        stderr.contains("the database does not exist and cannot be created"),
        "{stderr}"
    );
    assert!(!stderr.contains("waiting for PostgreSQL"), "{stderr}");
}

/// A `liaison serve` on the private cluster, its log lines collected.
struct Server {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    base: String,
}

impl Server {
    fn start(data: &Path, probe: &str) -> Self {
        let port = free_port();
        let mut child = bare(&["serve"])
            .env("LIAISON_DATA_DIR", data)
            .env("LIAISON_DB_PROBE_ADDR", probe)
            .env("LIAISON_PORT", port.to_string())
            .env("LIAISON_MAIL_DIR", data.with_file_name("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn liaison serve");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().expect("lines").push(line);
            }
        });
        Self {
            child,
            lines,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    fn first_line(&self) -> String {
        self.lines
            .lock()
            .expect("lines")
            .first()
            .cloned()
            .unwrap_or_default()
    }

    /// Sends `signal` and waits (up to 20 s) for the process to end.
    fn stop_with(&mut self, signal: i32) {
        // SAFETY: kill only sends a signal to our own child's pid.
        let sent = unsafe { libc::kill(self.child.id() as i32, signal) };
        assert_eq!(sent, 0, "signal sent");
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().expect("wait").is_none() {
            assert!(Instant::now() < deadline, "liaison serve did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder of the test's own, which the `postgres` user may enter (the
/// cluster runs as `postgres` when the tests run as root).
fn folder(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("liaison-{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("a folder");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
            .expect("permissions");
    }
    dir
}

async fn regions_answer(base: &str) {
    let response = reqwest::get(format!("{base}/v1/regions"))
        .await
        .expect("a request");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn with_no_server_the_binary_runs_a_private_postgresql_that_survives_a_restart_and_stops_with_it(
) {
    let dir = folder("private-db");
    let data = dir.join("postgres");
    // Nothing listens where a server is looked for.
    let probe = format!("127.0.0.1:{}", free_port());
    let cluster = DevDb::at(&data).expect("server programs are installed");

    let mut first = Server::start(&data, &probe);
    wait_ready(&first.base).await;
    regions_answer(&first.base).await;
    let line = first.first_line();
    assert!(
        line.contains("using a private PostgreSQL in") && line.contains("no TCP port"),
        "{line}"
    );
    assert!(line.contains("creating it"), "{line}");
    assert!(cluster.is_running());
    first.stop_with(libc::SIGTERM);
    assert!(!cluster.is_running(), "stopped with the server");

    // A second start reuses the folder.
    let mut second = Server::start(&data, &probe);
    wait_ready(&second.base).await;
    regions_answer(&second.base).await;
    assert!(
        !second.first_line().contains("creating it"),
        "{}",
        second.first_line()
    );
    second.stop_with(libc::SIGINT);
    assert!(!cluster.is_running(), "stopped on SIGINT too");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn dev_db_stop_stops_a_private_postgresql_left_running() {
    let dir = folder("left-running");
    let data = dir.join("postgres");
    let probe = format!("127.0.0.1:{}", free_port());
    let cluster = DevDb::at(&data).expect("server programs are installed");
    let mut server = Server::start(&data, &probe);
    wait_ready(&server.base).await;
    // Killed outright: nothing stops the cluster.
    server.stop_with(libc::SIGKILL);
    assert!(cluster.is_running(), "left running");
    let output = bare(&["dev-db", "stop"])
        .env("LIAISON_DATA_DIR", &data)
        .output()
        .expect("run liaison dev-db stop");
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("stopped the private PostgreSQL"));
    assert!(!cluster.is_running());
    let _ = std::fs::remove_dir_all(&dir);
}
