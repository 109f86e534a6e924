//! Mail: rendered from plain-text templates compiled into the binary, and
//! (with no SMTP server configured) written to a folder as `.eml` files, one
//! per delivery id, so the quick start needs nothing more.

use std::path::{Path, PathBuf};

use chrono::Utc;
use liaison_domain::outbox::Topic;
use liaison_persistence::outbox::Claimed;
use serde_json::Value;

/// The template of each topic that mails: a `Subject:` line, a blank line,
/// then the body; `{field}` is replaced by the payload's field.
fn template(topic: Topic) -> &'static str {
    match topic {
        Topic::PassIssued => include_str!("../../templates/mail/pass_issued.txt"),
    }
}

/// Fills `{field}` from `fields` (the payload, plus the recipient's name).
fn fill(template: &str, fields: &serde_json::Map<String, Value>) -> String {
    let mut out = template.to_owned();
    for (name, value) in fields {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        out = out.replace(&format!("{{{name}}}"), &text);
    }
    out
}

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub message_id: String,
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// The mail a claimed delivery stands for; `Err` when the member has no
    /// address any more (erased), which no retry will change.
    pub fn of(row: &Claimed) -> Result<Self, String> {
        let to = row
            .email
            .clone()
            .filter(|e| !e.is_empty())
            .ok_or("the member has no email address")?;
        let to_name = row.display_name.clone().unwrap_or_default();
        let mut fields = match &row.payload {
            Value::Object(map) => map.clone(),
            _ => serde_json::Map::new(),
        };
        fields.insert("display_name".into(), Value::String(to_name.clone()));
        let text = fill(template(row.topic), &fields);
        let (head, body) = text.split_once("\n\n").unwrap_or(("", text.as_str()));
        let subject = head.strip_prefix("Subject: ").unwrap_or(head).trim().to_owned();
        Ok(Self {
            // The delivery id: the same on every attempt, so a receiver (or
            // a mail client) sees a retried mail as the same message.
            message_id: format!("<{}@liaison>", row.id),
            to,
            to_name,
            subject,
            body: body.to_owned(),
        })
    }

    /// The message as RFC 5322 text.
    pub fn to_rfc5322(&self, from: &str) -> String {
        format!(
            "Message-ID: {}\r\nDate: {}\r\nFrom: {from}\r\nTo: \"{}\" <{}>\r\nSubject: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
            self.message_id,
            Utc::now().to_rfc2822(),
            self.to_name.replace('"', "'"),
            self.to,
            self.subject,
            self.body.replace('\n', "\r\n"),
        )
    }
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum Mailer {
    /// A folder: each mail is `<delivery id>.eml`, written whole (a temporary
    /// file renamed), so a reader never sees half a mail and a retry
    /// overwrites the same file.
    Folder(PathBuf),
}

/// Who mails come from.
const FROM: &str = "Liaison <noreply@liaison.example>";

impl Mailer {
    /// Sends one mail.
    pub async fn send(&self, id: uuid::Uuid, mail: &Mail) -> Result<(), String> {
        match self {
            Mailer::Folder(dir) => write_file(dir, id, &mail.to_rfc5322(FROM)).await,
        }
    }
}

async fn write_file(dir: &Path, id: uuid::Uuid, text: &str) -> Result<(), String> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| format!("mail folder {}: {e}", dir.display()))?;
    let part = dir.join(format!(".{id}.eml.part"));
    tokio::fs::write(&part, text)
        .await
        .map_err(|e| format!("writing {}: {e}", part.display()))?;
    tokio::fs::rename(&part, dir.join(format!("{id}.eml")))
        .await
        .map_err(|e| format!("renaming {}: {e}", part.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_filled_from_the_payload() {
        let mut fields = serde_json::Map::new();
        fields.insert("code".into(), Value::String("ABCD-EFGH".into()));
        fields.insert("n".into(), Value::from(3));
        assert_eq!(fill("code {code}, {n} times, {missing}", &fields), "code ABCD-EFGH, 3 times, {missing}");
    }
}
