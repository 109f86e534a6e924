//! The mail the app under test sent: with no SMTP server configured it
//! writes each mail to its folder as `<delivery id>.eml`.

use std::time::{Duration, Instant};

use crate::{scalar, TestApp};

/// A mail as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrived {
    pub message_id: String,
    /// `X-Liaison-Topic`, e.g. `pass.issued`.
    pub topic: String,
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
        topic: header("X-Liaison-Topic"),
        to: header("To"),
        subject: header("Subject"),
        body: body.replace("\r\n", "\n"),
    }
}

impl TestApp {
    /// Every mail sent so far, by file name (the delivery id), except the
    /// account mails (verification, reset) every registration sends:
    /// [`TestApp::account_mails`] reads those.
    pub fn mails(&self) -> Vec<Arrived> {
        self.all_mails()
            .into_iter()
            .filter(|m| !m.topic.starts_with("account."))
            .collect()
    }

    /// The account mails sent so far to `email`.
    pub fn account_mails(&self, email: &str) -> Vec<Arrived> {
        self.all_mails()
            .into_iter()
            .filter(|m| m.topic.starts_with("account.") && m.to.contains(email))
            .collect()
    }

    /// Waits (up to 20 s) for the `n`th account mail of `topic` to `email`
    /// and answers the token it carries.
    pub async fn wait_for_token(&self, email: &str, topic: &str, n: usize) -> String {
        let start = Instant::now();
        loop {
            let mails: Vec<Arrived> = self
                .account_mails(email)
                .into_iter()
                .filter(|m| m.topic == topic)
                .collect();
            if mails.len() >= n {
                return token_in(&mails[n - 1].body);
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no {topic} mail #{n} to {email}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Every mail sent so far, account mails included.
    fn all_mails(&self) -> Vec<Arrived> {
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

    /// Waits (up to 20 s) until `n` deliveries (mails, webhook calls) are
    /// sent; answers how many are. Batches, which only expand into mails,
    /// and account mails do not count.
    pub async fn wait_for_sent(&self, n: i64) -> i64 {
        let start = Instant::now();
        loop {
            let sent = scalar(
                &self.db,
                "SELECT count(*) AS n FROM outbox WHERE status = 'sent' AND channel <> 'batch' AND topic NOT LIKE 'account.%'",
            )
            .await;
            if sent >= n || start.elapsed() > Duration::from_secs(20) {
                return sent;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The token an account mail carries: the line of 48 letters and digits.
pub fn token_in(body: &str) -> String {
    body.lines()
        .map(str::trim)
        .find(|l| l.len() == 48 && l.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or_else(|| panic!("no token in {body}"))
        .to_owned()
}
