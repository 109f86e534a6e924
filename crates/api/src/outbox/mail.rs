//! Mail: rendered from plain-text templates compiled into the binary, and
//! (with no SMTP server configured) written to a folder as `.eml` files, one
//! per delivery id, so the quick start needs nothing more.

use std::path::{Path, PathBuf};

use chrono::Utc;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use liaison_domain::outbox::Topic;
use liaison_persistence::outbox::{Claimed, Target};
use serde_json::Value;

use crate::settings::OutboxSettings;

/// The template of each topic that mails: a `Subject:` line, a blank line,
/// then the body; `{field}` is replaced by the payload's field.
fn template(topic: Topic) -> &'static str {
    match topic {
        Topic::PassIssued => include_str!("../../templates/mail/pass_issued.txt"),
        Topic::ApplicationDecided => include_str!("../../templates/mail/application_decided.txt"),
        Topic::AppealDecided => include_str!("../../templates/mail/appeal_decided.txt"),
        Topic::GroupReviewed => include_str!("../../templates/mail/group_reviewed.txt"),
        Topic::ContributionDecided => include_str!("../../templates/mail/contribution_decided.txt"),
        Topic::FeedbackStatusChanged => {
            include_str!("../../templates/mail/feedback_status_changed.txt")
        }
        Topic::EmailVerification => include_str!("../../templates/mail/verify_email.txt"),
        Topic::PasswordReset => include_str!("../../templates/mail/password_reset.txt"),
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
    /// Sent as `X-Liaison-Topic`, for mail filters (and tests) to sort by.
    pub topic: Topic,
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// The mail a claimed delivery stands for; `Err` when the member has no
    /// address any more (erased), which no retry will change.
    pub fn of(row: &Claimed) -> Result<Self, String> {
        let Target::Mail {
            topic,
            email,
            display_name,
        } = &row.target
        else {
            return Err("not a mail".into());
        };
        let to = email
            .clone()
            .filter(|e| !e.is_empty())
            .ok_or("the member has no email address")?;
        let to_name = display_name.clone().unwrap_or_default();
        let mut fields = match &row.payload {
            Value::Object(map) => map.clone(),
            _ => serde_json::Map::new(),
        };
        fields.insert("display_name".into(), Value::String(to_name.clone()));
        let text = fill(template(*topic), &fields);
        let (head, body) = text.split_once("\n\n").unwrap_or(("", text.as_str()));
        let subject = head
            .strip_prefix("Subject: ")
            .unwrap_or(head)
            .trim()
            .to_owned();
        Ok(Self {
            // The delivery id: the same on every attempt, so a receiver (or
            // a mail client) sees a retried mail as the same message.
            message_id: format!("<{}@liaison>", row.id),
            topic: *topic,
            to,
            to_name,
            subject,
            body: body.to_owned(),
        })
    }

    /// The message as RFC 5322 text.
    pub fn to_rfc5322(&self, from: &str) -> String {
        format!(
            "Message-ID: {}\r\nDate: {}\r\nFrom: {from}\r\nTo: \"{}\" <{}>\r\nSubject: {}\r\nX-Liaison-Topic: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
            self.message_id,
            Utc::now().to_rfc2822(),
            self.to_name.replace('"', "'"),
            self.to,
            self.subject,
            self.topic,
            self.body.replace('\n', "\r\n"),
        )
    }
}

/// The SMTP transport a `LIAISON_SMTP_URL` names (`smtps://…`, `smtp://…?tls=required`, `smtp://host:25`).
pub fn smtp_transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map(|b| b.timeout(Some(std::time::Duration::from_secs(20))).build())
        .map_err(|e| format!("not an SMTP URL: {e}"))
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP server.
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: String,
    },
    /// A folder: each mail is `<delivery id>.eml`, written whole (a temporary
    /// file renamed), so a reader never sees half a mail and a retry
    /// overwrites the same file.
    Folder { dir: PathBuf, from: String },
}

impl Mailer {
    /// SMTP when `LIAISON_SMTP_URL` is set, else the mail folder.
    pub fn from_settings(settings: &OutboxSettings) -> Self {
        let from = settings.mail_from.clone();
        match settings.smtp_url.as_ref().map(|url| smtp_transport(&url.0)) {
            Some(Ok(transport)) => Mailer::Smtp { transport, from },
            // The URL was checked when the settings were read.
            Some(Err(e)) => {
                tracing::error!(error = %e, "LIAISON_SMTP_URL is unusable: mail goes to the mail folder");
                Mailer::Folder {
                    dir: settings.mail_dir.clone(),
                    from,
                }
            }
            None => Mailer::Folder {
                dir: settings.mail_dir.clone(),
                from,
            },
        }
    }

    /// Sends one mail.
    pub async fn send(&self, id: uuid::Uuid, mail: &Mail) -> Result<(), String> {
        match self {
            Mailer::Folder { dir, from } => write_file(dir, id, &mail.to_rfc5322(from)).await,
            Mailer::Smtp { transport, from } => {
                let to = Mailbox::new(
                    Some(mail.to_name.clone()),
                    mail.to
                        .parse()
                        .map_err(|e| format!("recipient {}: {e}", mail.to))?,
                );
                let message = Message::builder()
                    .message_id(Some(mail.message_id.clone()))
                    .from(
                        from.parse()
                            .map_err(|e| format!("LIAISON_MAIL_FROM: {e}"))?,
                    )
                    .to(to)
                    .subject(&mail.subject)
                    .header(TopicHeader(mail.topic.as_str().to_owned()))
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .map_err(|e| format!("building the mail: {e}"))?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("SMTP: {e}"))
            }
        }
    }
}

/// `X-Liaison-Topic`: what the mail tells of.
#[derive(Clone)]
struct TopicHeader(String);

impl lettre::message::header::Header for TopicHeader {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("X-Liaison-Topic")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
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
        assert_eq!(
            fill("code {code}, {n} times, {missing}", &fields),
            "code ABCD-EFGH, 3 times, {missing}"
        );
    }
}
