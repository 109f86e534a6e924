//! A real SMTP server for the mail tests: `aiosmtpd` (from PyPI, installed
//! by `.ci/run`) in its own process, storing what it receives in a Maildir.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running SMTP server; stopped when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
}

impl SmtpServer {
    /// Starts one on a free port, waiting until it accepts connections.
    /// Panics (the test fails loudly) when aiosmtpd is not installed.
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir =
            std::env::temp_dir().join(format!("liaison-smtp-{}", uuid::Uuid::new_v4().simple()));
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start aiosmtpd (python3 -m pip install aiosmtpd)");
        let mut server = Self {
            child,
            port,
            maildir,
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = server.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                panic!("aiosmtpd exited ({status}): {err} — is it installed (python3 -m pip install aiosmtpd)?");
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// The SMTP URL the app is given.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The raw messages received so far.
    pub fn received(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        dir.filter_map(Result::ok)
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }

    /// Waits (up to 20 s) for at least `n` messages of `topic` (their
    /// `X-Liaison-Topic`), and answers those.
    pub async fn wait_for(&self, topic: &str, n: usize) -> Vec<String> {
        let header = format!("X-Liaison-Topic: {topic}");
        let start = Instant::now();
        loop {
            let got: Vec<String> = self
                .received()
                .into_iter()
                .filter(|m| m.lines().any(|l| l.trim_end() == header))
                .collect();
            if got.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}
