//! A PostgreSQL of its own, for a first start on a machine where the server
//! programs are installed but no server runs: a private cluster in a data
//! folder, reachable only through a unix socket in that folder (no TCP
//! port), started by the binary and stopped with it.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Where a PostgreSQL is looked for when `DATABASE_URL` is unset.
pub const DEFAULT_SERVER: &str = "127.0.0.1:5432";

/// Whether something accepts TCP connections at `addr` (within 300 ms).
pub fn listening(addr: &str) -> bool {
    addr.parse::<SocketAddr>()
        .is_ok_and(|a| TcpStream::connect_timeout(&a, Duration::from_millis(300)).is_ok())
}

/// The folder holding `initdb` and `pg_ctl`: the `PATH` first, then
/// Debian's `/usr/lib/postgresql/<version>/bin` (the newest).
pub fn server_programs() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(path) = std::env::var_os("PATH") {
        if let Some(dir) = std::env::split_paths(&path).find(|d| has_both(d)) {
            return Some(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| has_both(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// What to tell someone who has no server and no server programs.
pub const HOW_TO_GET_ONE: &str = "no DATABASE_URL is set, nothing listens on 127.0.0.1:5432, and PostgreSQL's server programs (initdb, pg_ctl) are not installed. Either install them (Debian/Ubuntu: `sudo apt install postgresql`; Fedora: `sudo dnf install postgresql-server`; macOS: `brew install postgresql@15`) and run this again, which starts a private PostgreSQL in ./.liaison/postgres; or start one with `docker compose up db` and set DATABASE_URL=postgres://postgres:liaison@127.0.0.1:5432/liaison; or set DATABASE_URL to a server you have";

/// A private cluster in a data folder.
#[derive(Debug, Clone)]
pub struct DevDb {
    dir: PathBuf,
    bin: PathBuf,
    /// The user the server programs run as, when this process is root
    /// (PostgreSQL refuses to run as root): `postgres`.
    owner: Option<(u32, u32)>,
}

impl DevDb {
    /// The cluster in `dir` (made absolute), run with the installed server
    /// programs; `Err` with what to do when there are none.
    pub fn at(dir: &Path) -> Result<Self, String> {
        let bin = server_programs().ok_or_else(|| HOW_TO_GET_ONE.to_owned())?;
        let dir =
            std::path::absolute(dir).map_err(|e| format!("data folder {}: {e}", dir.display()))?;
        if dir.to_string_lossy().contains('\'') {
            return Err(format!(
                "the data folder {} may not contain a quote",
                dir.display()
            ));
        }
        Ok(Self {
            dir,
            bin,
            owner: server_user(),
        })
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The URL of `database` on this cluster (through its socket).
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@localhost/{database}?host={}",
            self.dir.display()
        )
    }

    /// Whether its server runs.
    pub fn is_running(&self) -> bool {
        self.program("pg_ctl")
            .args(["status", "-D"])
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Creates the cluster if the folder holds none, and starts its server
    /// unless it runs already; whether this call started it.
    pub fn start(&self) -> Result<bool, String> {
        if !self.dir.join("PG_VERSION").is_file() {
            self.create()?;
        }
        if self.is_running() {
            return Ok(false);
        }
        let log = self.dir.join("server.log");
        let options = format!("-c listen_addresses= -k '{}'", self.dir.display());
        let output = self
            .program("pg_ctl")
            .args(["start", "-w", "-t", "60", "-s", "-D"])
            .arg(&self.dir)
            .arg("-l")
            .arg(&log)
            .args(["-o", &options])
            .output()
            .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
        if output.status.success() {
            return Ok(true);
        }
        // Another process may have started it at the same moment.
        if self.is_running() {
            return Ok(false);
        }
        Err(format!(
            "the private PostgreSQL in {} did not start: {}; see {}",
            self.dir.display(),
            String::from_utf8_lossy(&output.stderr).trim(),
            log.display()
        ))
    }

    /// Stops its server (fast: open sessions are ended); `Ok(false)` when
    /// it was not running.
    pub fn stop(&self) -> Result<bool, String> {
        if !self.is_running() {
            return Ok(false);
        }
        let output = self
            .program("pg_ctl")
            .args(["stop", "-w", "-s", "-m", "fast", "-D"])
            .arg(&self.dir)
            .output()
            .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
        if output.status.success() {
            Ok(true)
        } else {
            Err(format!(
                "stopping the private PostgreSQL in {}: {}",
                self.dir.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    }

    fn create(&self) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create the data folder {}: {e}", self.dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700));
            if let Some((uid, gid)) = self.owner {
                std::os::unix::fs::chown(&self.dir, Some(uid), Some(gid)).map_err(|e| {
                    format!(
                        "cannot give {} to the postgres user: {e}",
                        self.dir.display()
                    )
                })?;
            }
        }
        let output = self
            .program("initdb")
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-instructions",
                "-D",
            ])
            .arg(&self.dir)
            .output()
            .map_err(|e| format!("cannot run initdb: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "initdb failed in {}: {}",
                self.dir.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    }

    fn program(&self, name: &str) -> Command {
        let mut command = Command::new(self.bin.join(name));
        // The server programs run from the data folder's side, in English,
        // so their messages read the same everywhere.
        command.env("LC_MESSAGES", "C").current_dir("/");
        #[cfg(unix)]
        if let Some((uid, gid)) = self.owner {
            use std::os::unix::process::CommandExt;
            command.uid(uid).gid(gid);
        }
        command
    }
}

/// `postgres`'s ids when this process is root, else none.
fn server_user() -> Option<(u32, u32)> {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions; getpwnam gets a NUL-ended
        // name and its result is read at once, before any other call that
        // could reuse its static buffer.
        unsafe {
            if libc::geteuid() != 0 {
                return None;
            }
            let entry = libc::getpwnam(c"postgres".as_ptr());
            if entry.is_null() {
                return None;
            }
            Some(((*entry).pw_uid, (*entry).pw_gid))
        }
    }
    #[cfg(not(unix))]
    None
}

/// The PostgreSQL the test suites use (the same fallback as the binary's):
/// `LIAISON_TEST_DATABASE_SERVER`, else the one on 127.0.0.1:5432, else a
/// private cluster in `<target>/liaison-test-postgres`, started if need be
/// and left running for the next test binary. Answers `(base, query)`: a
/// database's URL is `{base}/{name}{query}`.
pub fn test_server(target: &Path) -> Result<(String, String), String> {
    if let Ok(url) = std::env::var("LIAISON_TEST_DATABASE_SERVER") {
        return Ok((url, String::new()));
    }
    if listening(DEFAULT_SERVER) {
        return Ok((
            format!("postgres://postgres@{DEFAULT_SERVER}"),
            String::new(),
        ));
    }
    let db = DevDb::at(&target.join("liaison-test-postgres"))?;
    db.start()?;
    Ok((
        "postgres://postgres@localhost".into(),
        format!("?host={}", db.dir().display()),
    ))
}
