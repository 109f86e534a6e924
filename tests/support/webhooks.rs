//! Webhooks seen from outside: subscribing through the API, and a real
//! HTTP receiver on 127.0.0.1 that checks every signature the way a
//! receiver would (HMAC-SHA256 of `id.timestamp.body` with the secret shown
//! once) and records what arrived.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Method, Response};
use serde_json::Value;
use uuid::Uuid;

use crate::{body, Member, TestApp};

/// One delivery as the receiver saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    /// The `webhook-signature` header as sent.
    pub signature: String,
    /// The body as sent, byte for byte.
    pub raw: Vec<u8>,
    pub body: Value,
    /// Whether `webhook-signature` matched the secret the receiver was given.
    pub verified: bool,
    /// The status the receiver answered.
    pub answered: u16,
}

#[derive(Default)]
struct State {
    /// Secrets of the subscriptions that point here.
    secrets: Vec<String>,
    /// Statuses to answer, in order; 200 once they run out.
    script: Vec<u16>,
    received: Vec<Received>,
}

/// A webhook receiver on 127.0.0.1 (a thread with a `TcpListener`).
#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:<port>/hook`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    /// Answers 200 to every delivery.
    pub fn start() -> Self {
        Self::answering(&[])
    }

    /// Answers `script` in order, then 200.
    pub fn answering(script: &[u16]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a receiver");
        let port = listener.local_addr().expect("receiver address").port();
        let state = Arc::new(Mutex::new(State {
            script: script.iter().rev().copied().collect(),
            ..State::default()
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &shared);
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}/hook"),
            state,
        }
    }

    /// Adds a secret (`whsec_…`) to verify signatures with.
    pub fn trust(&self, secret: &str) {
        self.state
            .lock()
            .expect("receiver")
            .secrets
            .push(secret.to_owned());
    }

    /// What arrived so far.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().expect("receiver").received.clone()
    }

    /// Waits (up to 10 s) until `n` deliveries arrived; returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} deliveries, got {:?}", self.received());
    }
}

fn serve(stream: std::net::TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end().to_owned();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let len: usize = header("content-length").parse().unwrap_or(0);
    let mut raw = vec![0; len];
    reader.read_exact(&mut raw)?;
    let (id, timestamp) = (
        header("webhook-id"),
        header("webhook-timestamp").parse().unwrap_or(0),
    );
    let answered = {
        let mut s = state.lock().expect("receiver");
        let verified = s.secrets.iter().any(|secret| {
            // The header may carry several signatures, space-separated.
            let expected = liaison_api::outbox::webhook::sign(secret, &id, timestamp, &raw)
                .unwrap_or_default();
            header("webhook-signature")
                .split(' ')
                .any(|sig| sig == expected)
        });
        let answered = s.script.pop().unwrap_or(200);
        s.received.push(Received {
            id,
            timestamp,
            signature: header("webhook-signature"),
            raw: raw.clone(),
            body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
            verified,
            answered,
        });
        answered
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {answered} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()
}

impl TestApp {
    /// `POST /v1/webhooks` as `member` with a fresh `Idempotency-Key`.
    pub async fn subscribe(&self, member: Option<&Member>, request: &Value) -> Response {
        self.call(
            Method::POST,
            "/v1/webhooks",
            member.map(|m| m.token.as_str()),
        )
        .header("Idempotency-Key", Uuid::new_v4().to_string())
        .json(request)
        .send()
        .await
        .expect("request")
    }

    /// Subscribes `receiver` for `member` (asserting 201), and gives the
    /// receiver the secret shown once; returns the subscription id.
    pub async fn webhook(&self, member: &Member, receiver: &Receiver, request: Value) -> String {
        let mut request = request;
        request["url"] = Value::String(receiver.url.clone());
        let response = self.subscribe(Some(member), &request).await;
        assert_eq!(response.status(), 201, "subscribe");
        let created = body(response).await;
        receiver.trust(created["secret"].as_str().expect("a secret"));
        created["id"].as_str().expect("id").to_owned()
    }

    /// Makes every pending webhook delivery due now (instead of waiting for the backoff).
    pub async fn webhooks_due_now(&self) {
        crate::exec(
            &self.db,
            "UPDATE outbox SET next_attempt_at = now() WHERE channel = 'webhook' AND status = 'pending'",
        )
        .await;
    }
}

/// Runs the README's Python receiver snippet (`### Webhooks`) on a delivery:
/// whether it accepts it with `secret`.
pub fn readme_snippet_verifies(secret: &str, delivery: &Received) -> bool {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README");
    let section = readme
        .split("### Webhooks")
        .nth(1)
        .expect("a ### Webhooks section");
    let snippet = section
        .split("```python\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a python snippet");
    let call = format!(
        "{snippet}\nimport json, sys\nd = json.load(sys.stdin)\nheaders = {{'webhook-id': d['id'], 'webhook-timestamp': d['ts'], 'webhook-signature': d['sig']}}\nprint(verify(d['secret'], headers, bytes(d['body'])))\n"
    );
    let mut child = std::process::Command::new("python3")
        .args(["-c", &call])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    let input = serde_json::json!({"id": delivery.id, "ts": delivery.timestamp.to_string(), "sig": delivery.signature,
                                   "body": delivery.raw, "secret": secret});
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python3 ran");
    assert!(out.status.success(), "the snippet ran");
    String::from_utf8_lossy(&out.stdout).trim() == "True"
}
