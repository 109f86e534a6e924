//! Webhook delivery, signed the Standard Webhooks way: `webhook-id` (the
//! outbox row's id, the same on every attempt), `webhook-timestamp` (unix
//! seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of
//! "{id}.{timestamp}.{body}">`, keyed with the base64 after `whsec_`.
//!
//! SSRF: the host is resolved once, every address must be public (unless
//! the deployer allows private targets), and the call is pinned to the
//! address that was checked, so a second DNS answer (rebinding) cannot
//! redirect it; redirects are never followed.

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use liaison_domain::webhook::{is_public, WebhookUrl};
use liaison_persistence::outbox::{Claimed, Target};
use liaison_persistence::webhooks::{self, Outcome};
use sea_orm::DatabaseConnection;

/// The longest a receiver may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A new subscription's secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The `webhook-signature` header's value for one delivery.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, String> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|_| "the subscription's secret is not base64".to_owned())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Ok(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// Delivers one claimed webhook row and notes the outcome on the
/// subscription; `Err` (retried by the dispatcher) unless a 2xx came back.
pub async fn deliver(
    db: &DatabaseConnection,
    row: &Claimed,
    allow_private: bool,
) -> Result<(), String> {
    let Target::Webhook(target) = &row.target else {
        return Err("not a webhook call".into());
    };
    // The resolution too is bounded, not only the HTTP call.
    let (code, result) = tokio::time::timeout(
        TIMEOUT * 2,
        call(row, &target.url, &target.secret, allow_private),
    )
    .await
    .unwrap_or_else(|_| (None, Err("timed out".into())));
    let outcome = match code {
        Some(c) if (200..300).contains(&c) => Outcome::Delivered,
        Some(410) => Outcome::Gone,
        _ => Outcome::Failed,
    };
    let give_up = liaison_domain::outbox::GIVE_UP_AFTER.num_seconds();
    if let Err(e) = webhooks::note_attempt(db, row.id, target.id, code, outcome, give_up).await {
        tracing::warn!(delivery = %row.id, error = %e, "noting a webhook attempt failed");
    }
    result
}

async fn call(
    row: &Claimed,
    url: &str,
    secret: &str,
    allow_private: bool,
) -> (Option<u16>, Result<(), String>) {
    let target = match WebhookUrl::parse("url", url, allow_private) {
        Ok(t) => t,
        Err(_) => return (None, Err("the target URL is not acceptable".into())),
    };
    let addr = match resolve(&target, allow_private).await {
        Ok(addr) => addr,
        Err(e) => return (None, Err(e)),
    };
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .resolve(&target.host, addr)
        .build()
    {
        Ok(c) => c,
        Err(e) => return (None, Err(format!("building the client: {e}"))),
    };
    let body = match serde_json::to_vec(&row.payload) {
        Ok(b) => b,
        Err(e) => return (None, Err(e.to_string())),
    };
    let id = row.id.to_string();
    let timestamp = chrono::Utc::now().timestamp();
    let signature = match sign(secret, &id, timestamp, &body) {
        Ok(s) => s,
        Err(e) => return (None, Err(e)),
    };
    let sent = client
        .post(&target.url)
        .header("content-type", "application/json")
        .header("user-agent", "Liaison-Webhooks/1")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(response) => {
            let code = response.status().as_u16();
            if response.status().is_success() {
                (Some(code), Ok(()))
            } else {
                (Some(code), Err(format!("HTTP {code}")))
            }
        }
        // Without the URL: it may hold a token of the receiver's.
        Err(e) if e.is_timeout() => (None, Err("timed out".into())),
        Err(e) => (None, Err(format!("no answer: {}", e.without_url()))),
    }
}

/// The one address the call goes to: the first the host resolves to, all
/// of them public unless private targets are allowed.
async fn resolve(target: &WebhookUrl, allow_private: bool) -> Result<SocketAddr, String> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(|_| format!("cannot resolve {}", target.host))?
        .collect();
    // Any private answer refuses the host: a mixed answer is a rebinding trick.
    if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
        return Err(format!(
            "refused: {} resolves to a private, loopback or link-local address",
            target.host
        ));
    }
    addrs
        .into_iter()
        .next()
        .ok_or_else(|| format!("{} has no address", target.host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification.
        let sig = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_are_whsec_and_32_bytes() {
        let s = new_secret();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(s.strip_prefix("whsec_").unwrap())
            .unwrap();
        assert_eq!(raw.len(), 32);
    }
}
