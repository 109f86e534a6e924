//! Faults: a client that drops its connection mid-request leaves nothing
//! half-written, and a server killed with SIGKILL under load loses nothing
//! it answered 2xx.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

mod common;

use common::{
    admin_token, drop_database, free_port, liaison, migrated_database, scalar, wait_ready, Serve,
};

/// `n` import rows for the members `m1…mn@example.org`.
fn rows(batch: usize, n: usize) -> Vec<Value> {
    let day = (chrono::Utc::now().date_naive() - chrono::Duration::days(10)).to_string();
    (1..=n)
        .map(|i| {
            json!({"external_id": format!("b{batch}-{i}"), "email": format!("m{i}@example.org"), "kind": "talk_given",
                   "occurred_on": day, "title": format!("Answer {batch}-{i}")})
        })
        .collect()
}

/// A raw HTTP/1.1 POST of `body`, of which only `send` bytes are written
/// before the connection is dropped.
fn post_and_drop(port: u16, path: &str, token: &str, key: &str, body: &[u8], send: usize) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(&body[..send]).expect("body");
    stream.flush().expect("flush");
    drop(stream);
}

#[tokio::test]
async fn a_client_that_drops_its_connection_mid_request_leaves_nothing_half_written() {
    let (name, url) = migrated_database("liaison_faults_drop").await;
    assert!(
        liaison(&url, &["create-admin", "--email", "root@example.org"], 0)
            .env("LIAISON_ADMIN_PASSWORD", "correct horse battery")
            .status()
            .expect("create admin")
            .success()
    );
    let db = Database::connect(url.clone()).await.expect("connect");
    db.execute_unprepared(
        "INSERT INTO members (id, email, password_hash, display_name, email_verified_at)
         SELECT uuid_generate_v7(), 'm' || g || '@example.org', 'x', 'Member ' || g, now() FROM generate_series(1, 2000) g",
    )
    .await
    .expect("members");
    let port = free_port();
    let _server = Serve(liaison(&url, &["serve"], port).spawn().expect("serve"));
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base).await;
    let token = admin_token(&reqwest::Client::new(), &base).await;
    for batch in 0..6 {
        let body = serde_json::to_vec(&json!({"source": format!("drop-{batch}"), "dry_run": false, "contributions": rows(batch, 2000)}))
            .expect("a body");
        // Half the batches stop mid-body, half right after the last byte.
        let send = if batch % 2 == 0 {
            body.len() / 2
        } else {
            body.len()
        };
        post_and_drop(
            port,
            "/v1/contributions/import",
            &token,
            &format!("drop-{batch}"),
            &body,
            send,
        );
    }
    // Let every request that reached a handler finish or roll back.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for batch in 0..6 {
        let written = scalar(
            &db,
            &format!(
                "SELECT count(*)::bigint AS n FROM contributions WHERE source = 'drop-{batch}'"
            ),
        )
        .await;
        if batch % 2 == 0 {
            assert_eq!(written, 0, "a body cut in half writes nothing");
        } else {
            assert!(
                written == 0 || written == 2000,
                "batch {batch}: all or nothing, not {written}"
            );
        }
    }
    // The server is fine afterwards.
    let ready = reqwest::get(format!("{base}/readyz")).await.expect("ready");
    assert!(ready.status().is_success());
    db.close().await.expect("close");
    drop(_server);
    drop_database(&name).await;
}

#[tokio::test]
async fn a_server_killed_under_load_loses_nothing_it_answered_2xx() {
    let (name, url) = migrated_database("liaison_faults_kill").await;
    assert!(
        liaison(&url, &["create-admin", "--email", "root@example.org"], 0)
            .env("LIAISON_ADMIN_PASSWORD", "correct horse battery")
            .status()
            .expect("create admin")
            .success()
    );
    let port = free_port();
    let mut server = Serve(liaison(&url, &["serve"], port).spawn().expect("serve"));
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base).await;
    let client = reqwest::Client::new();
    let token = admin_token(&client, &base).await;
    let day = (chrono::Utc::now().date_naive() - chrono::Duration::days(3)).to_string();
    let calls = (0..400).map(|i| {
        let client = &client;
        let (base, token, day) = (&base, &token, &day);
        async move {
            // Spread over a second, so the kill lands in the middle.
            tokio::time::sleep(Duration::from_millis(i as u64 * 3)).await;
            let response = client
                .post(format!("{base}/v1/contributions"))
                .bearer_auth(token)
                .json(&json!({"kind": "documentation", "occurred_on": day, "title": format!("Claim {i}")}))
                .send()
                .await;
            match response {
                Ok(r) if r.status().as_u16() == 201 => {
                    let body: Value = r.json().await.ok()?;
                    body["id"].as_str().map(str::to_owned)
                }
                _ => None,
            }
        }
    });
    let killer = async {
        tokio::time::sleep(Duration::from_millis(600)).await;
        // SAFETY: kill only sends SIGKILL to our own child.
        unsafe { libc::kill(server.0.id() as i32, libc::SIGKILL) };
    };
    let (answered, ()) = tokio::join!(join_all(calls), killer);
    let answered: Vec<String> = answered.into_iter().flatten().collect();
    let _ = server.0.wait();
    assert!(
        !answered.is_empty() && answered.len() < 400,
        "the kill fell mid-load: {} answered",
        answered.len()
    );
    let db = Database::connect(url.clone()).await.expect("connect");
    let ids = answered
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    let kept = scalar(
        &db,
        &format!("SELECT count(*)::bigint AS n FROM contributions WHERE id IN ({ids})"),
    )
    .await;
    assert_eq!(
        kept as usize,
        answered.len(),
        "every 2xx answer is in the database"
    );
    // And after a restart, `liaison check` finds nothing half-applied.
    let checked = liaison(&url, &["check"], 0).output().expect("check");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    db.close().await.expect("close");
    drop(server);
    drop_database(&name).await;
}
