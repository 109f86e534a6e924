//! The real `liaison serve` process under a burst of sign-ins at the
//! production Argon2 cost (19 MiB, t=2): its memory stays bounded by the
//! password workers (read from its own `/metrics`), the requests beyond them
//! get 503 with `Retry-After` instead of queueing without limit, and an
//! unknown email costs the same one verification as a wrong password.
//!
//! Here beside the binary because only here does Cargo hand a test the path
//! of the built executable. The two tests take turns, so that neither's
//! timings carry the other's load.

mod common;

use std::time::{Duration, Instant};

use common::{drop_database, free_port, liaison, migrated_database, wait_ready, Serve};
use reqwest::StatusCode;
use serde_json::{json, Value};

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const PASSWORD: &str = "correct horse battery";

/// A server at the production cost with two password workers; its address
/// and a registered member's email.
async fn production_cost_server(url: &str, wait_ms: u32) -> (Serve, String, String) {
    let port = free_port();
    let serve = Serve(
        liaison(url, &["serve"], port)
            .env("LIAISON_ARGON2_MEMORY_KIB", "19456")
            .env("LIAISON_ARGON2_ITERATIONS", "2")
            .env("LIAISON_HASH_WORKERS", "2")
            .env("LIAISON_QUEUE_WAIT_MS", wait_ms.to_string())
            .env("LIAISON_AUTH_RATE_LIMIT", "1000000")
            .spawn()
            .expect("start liaison serve"),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base).await;
    let email = format!("rush-{}@example.org", uuid::Uuid::new_v4().simple());
    let registered = reqwest::Client::new()
        .post(format!("{base}/v1/auth/register"))
        .json(&json!({"email": email, "password": PASSWORD, "display_name": "Rush"}))
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), StatusCode::CREATED);
    (serve, base, email)
}

fn gauge(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

#[tokio::test]
async fn a_burst_of_sign_ins_keeps_the_servers_memory_bounded_and_is_answered_503_beyond_the_pool()
{
    let _turn = ONE_AT_A_TIME.lock().await;
    let (name, url) = migrated_database("liaison_floods").await;
    let (_serve, base, email) = production_cost_server(&url, 300).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    let mut signed_in = 0;
    let mut refused = 0;
    for _round in 0..3 {
        let answers = futures_util::future::join_all((0..64).map(|_| {
            client
                .post(format!("{base}/v1/auth/token"))
                .json(&json!({"email": email, "password": PASSWORD}))
                .send()
        }))
        .await;
        for answer in answers {
            let answer = answer.expect("an answer, never a hang");
            match answer.status() {
                StatusCode::OK => signed_in += 1,
                StatusCode::SERVICE_UNAVAILABLE => {
                    assert!(answer.headers().contains_key("retry-after"));
                    let problem: Value = answer.json().await.expect("problem");
                    assert_eq!(problem["code"], "unavailable");
                    refused += 1;
                }
                other => panic!("unexpected {other}"),
            }
        }
    }
    assert!(
        signed_in > 0 && refused > 0,
        "{signed_in} signed in, {refused} refused"
    );
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let peak_mib = gauge(&metrics, "process_peak_resident_memory_bytes") / 1_048_576.0;
    // Two workers × 19 MiB plus the baseline; unbounded, one burst of 64 took 6 GB.
    assert!(peak_mib < 200.0, "peak RSS {peak_mib:.0} MiB");
    assert_eq!(
        gauge(&metrics, "gate_rejected_total{gate=\"passwords\"}") as i64,
        refused
    );
    drop(_serve);
    drop_database(&name).await;
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

#[tokio::test]
async fn an_unknown_email_costs_the_same_one_verification_as_a_wrong_password() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (name, url) = migrated_database("liaison_side_channel").await;
    let (_serve, base, email) = production_cost_server(&url, 5_000).await;
    let client = reqwest::Client::new();
    let time = |email: String| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            let started = Instant::now();
            let answer = client
                .post(format!("{base}/v1/auth/token"))
                .json(&json!({"email": email, "password": "not the password"}))
                .send()
                .await
                .expect("sign in");
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
            started.elapsed()
        }
    };
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    // Interleaved, so that any load on the machine falls on both alike.
    for i in 0..30 {
        known.push(time(email.clone()).await);
        unknown.push(time(format!("nobody-{i}@example.org")).await);
    }
    let (known, unknown) = (median(known), median(unknown));
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    // Two hashes for an unknown email (the old decoy per request) made this 1.7–2.3.
    assert!(
        (0.75..1.33).contains(&ratio),
        "median unknown {unknown:?} vs known {known:?} (ratio {ratio:.2})"
    );
    drop(_serve);
    drop_database(&name).await;
}
