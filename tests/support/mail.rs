//! The mail the app under test sent: with no SMTP server configured it
//! writes each mail to its folder as `<delivery id>.eml`.

use std::time::{Duration, Instant};

use crate::{scalar, TestApp};

/// A mail as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrived {
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

fn parse(text: &str) -> Arrived {
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let header = |name: &str| {
        head.split("\r\n")
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_default()
            .to_owned()
    };
    Arrived {
        message_id: header("Message-ID"),
        to: header("To"),
        subject: header("Subject"),
        body: body.replace("\r\n", "\n"),
    }
}

impl TestApp {
    /// Every mail sent so far, by file name (the delivery id).
    pub fn mails(&self) -> Vec<Arrived> {
        let Ok(dir) = std::fs::read_dir(&self.settings.outbox.mail_dir) else {
            return Vec::new();
        };
        let mut names: Vec<_> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| parse(&std::fs::read_to_string(p).expect("read a mail")))
            .collect()
    }

    /// Waits (up to 20 s) until at least `n` mails have arrived and their
    /// attempts are recorded (a mail is written before its row is marked);
    /// answers them all.
    pub async fn wait_for_mails(&self, n: usize) -> Vec<Arrived> {
        let start = Instant::now();
        loop {
            let mails = self.mails();
            let recording = scalar(
                &self.db,
                "SELECT count(*) AS n FROM outbox WHERE channel = 'mail' AND claimed_by IS NOT NULL",
            )
            .await;
            if (mails.len() >= n && recording == 0) || start.elapsed() > Duration::from_secs(20) {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits (up to 20 s) until `n` outbox rows are sent; answers how many are.
    pub async fn wait_for_sent(&self, n: i64) -> i64 {
        let start = Instant::now();
        loop {
            let sent = scalar(
                &self.db,
                "SELECT count(*) AS n FROM outbox WHERE status = 'sent'",
            )
            .await;
            if sent >= n || start.elapsed() > Duration::from_secs(20) {
                return sent;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
