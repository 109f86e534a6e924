//! Bounded under floods: hashing, CSV exports, syncs and feed reads answer 503 beyond their limits.

use std::time::{Duration, Instant};

use liaison_api::settings::Argon2Params;
use liaison_tests::{assert_problem, body, TestApp, PASSWORD};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use tokio::io::AsyncWriteExt;

/// Sends `request` again while it answers 503, for up to ten seconds; the
/// first other answer.
async fn once_a_place_is_free<F, Fut>(request: F) -> reqwest::Response
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = request().await.expect("request");
        if response.status() != StatusCode::SERVICE_UNAVAILABLE {
            return response;
        }
        assert!(Instant::now() < deadline, "the place was never freed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A transaction holding `table` so that every statement on it waits;
/// committing it lets them through.
async fn locked(app: &TestApp, table: &str) -> sea_orm::DatabaseTransaction {
    let blocker = app.db.begin().await.expect("begin");
    blocker
        .execute_unprepared(&format!("LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        .await
        .expect("lock");
    blocker
}

#[tokio::test]
async fn a_burst_of_sign_ins_beyond_the_pool_gets_503_with_retry_after_and_never_hangs() {
    let app = TestApp::spawn_with(|s| {
        // One worker and a cost of some milliseconds, so a burst of 30 must queue.
        s.limits.hash_workers = 1;
        s.limits.queue_wait = Duration::from_millis(50);
        s.argon2 = Argon2Params {
            memory_kib: 4096,
            iterations: 4,
            parallelism: 1,
        };
    })
    .await;
    let member = app.member("Rush Hour").await;
    let sign_in = json!({"email": member.email, "password": PASSWORD});
    let started = Instant::now();
    let answers =
        futures_util::future::join_all((0..30).map(|_| app.post("/v1/auth/token", None, &sign_in)))
            .await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "every answer came back"
    );
    let mut signed_in = 0;
    let mut refused = 0;
    for response in answers {
        match response.status() {
            StatusCode::OK => signed_in += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(response.headers()["retry-after"], "1");
                assert_problem(response, 503, "unavailable").await;
                refused += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(signed_in >= 1, "the pool kept serving");
    assert!(refused >= 1, "a burst beyond the pool was refused");
    let metrics = app.get("/metrics", None).await.text().await.expect("text");
    assert!(
        metrics.contains(&format!(
            "gate_rejected_total{{gate=\"passwords\"}} {refused}"
        )),
        "{metrics}"
    );
    assert!(metrics.contains("gate_capacity{gate=\"passwords\"} 1"));
}

#[tokio::test]
async fn unknown_methods_fold_into_one_label_and_answer_405_with_allow() {
    let app = TestApp::spawn().await;
    for i in 0..20 {
        let method = Method::from_bytes(format!("BREW{i}").as_bytes()).expect("method");
        let response = app
            .request(method, "/v1/regions")
            .send()
            .await
            .expect("request");
        assert_eq!(response.headers()["allow"], "GET, POST");
        assert_problem(response, 405, "method_not_allowed").await;
    }
    // A known method that the path does not have is told the same.
    let response = app
        .request(Method::DELETE, "/v1/regions")
        .send()
        .await
        .expect("request");
    assert_problem(response, 405, "method_not_allowed").await;
    // An unknown path stays a 404 whatever the method.
    let response = app
        .request(Method::from_bytes(b"BREW").expect("method"), "/v1/nowhere")
        .send()
        .await
        .expect("request");
    assert_problem(response, 404, "not_found").await;
    let text = app.get("/metrics", None).await.text().await.expect("text");
    assert!(!text.contains("BREW"), "no series per method name");
    assert!(
        text.contains(
            "http_requests_total{method=\"other\",route=\"/v1/regions\",status=\"405\"} 20"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn csv_exports_beyond_the_limit_wait_then_get_503_and_a_freed_place_serves_the_next() {
    let app = TestApp::spawn_with(|s| {
        s.limits.csv_exports = 1;
        s.limits.queue_wait = Duration::from_millis(200);
    })
    .await;
    let staff = app.staff().await;
    // Enough rows that an export which nobody reads stays open.
    app.db
        .execute_unprepared(
            "INSERT INTO audit_log (id, actor_type, action, entity_type, entity_id) \
             SELECT gen_random_uuid(), 'system', 'test.bulk', 'test', g::text FROM generate_series(1, 300000) g",
        )
        .await
        .expect("audit rows");
    let export = || {
        app.call(Method::GET, "/v1/audit-log", Some(&staff.token))
            .header("accept", "text/csv")
            .send()
    };
    let first = export().await.expect("first export");
    assert_eq!(first.status(), StatusCode::OK);
    let second = export().await.expect("second export");
    assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(second.headers().contains_key("retry-after"));
    assert_problem(second, 503, "unavailable").await;
    // The first client goes away; its place is freed.
    drop(first);
    let next = once_a_place_is_free(export).await;
    assert_eq!(next.status(), StatusCode::OK);
}

#[tokio::test]
async fn syncs_beyond_the_limit_get_503_while_one_is_still_uploading() {
    let app = TestApp::spawn_with(|s| {
        s.limits.syncs = 1;
        s.limits.queue_wait = Duration::from_millis(200);
    })
    .await;
    let organizer = app.member("Sync Organizer").await;
    let group = app.group(&organizer, "slow-uploaders", "FR").await;
    let path = format!(
        "/v1/groups/{}/events/sync",
        group["id"].as_str().expect("id")
    );
    // A sync whose body arrives slowly holds the only place.
    let address = app.address.trim_start_matches("http://");
    let mut slow = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    slow.write_all(
        format!(
            "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
             Idempotency-Key: slow-1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{",
            organizer.token
        )
        .as_bytes(),
    )
    .await
    .expect("write head");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let batch = json!({"source": "meetup", "mode": "upsert", "events": []});
    let sync = |key: &'static str| {
        app.call(Method::PUT, &path, Some(&organizer.token))
            .header("Idempotency-Key", key)
            .json(&batch)
            .send()
    };
    assert_problem(sync("fast-1").await.expect("request"), 503, "unavailable").await;
    drop(slow);
    let next = once_a_place_is_free(|| sync("fast-2")).await;
    assert_eq!(next.status(), StatusCode::OK);
}

#[tokio::test]
async fn feed_reads_beyond_the_limit_get_503_while_one_is_blocked() {
    let app = TestApp::spawn_with(|s| {
        s.limits.feed_reads = 1;
        s.limits.queue_wait = Duration::from_millis(200);
    })
    .await;
    // Hold the feed's table so the one read allowed in waits inside.
    let blocker = locked(&app, "event_changes").await;
    let blocked = {
        let (client, url) = (
            app.client.clone(),
            format!("{}/v1/events/changes", app.address),
        );
        tokio::spawn(async move { client.get(url).send().await.map(|r| r.status()).ok() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_problem(
        app.get("/v1/events/changes", None).await,
        503,
        "unavailable",
    )
    .await;
    blocker.commit().await.expect("release");
    assert_eq!(blocked.await.expect("join"), Some(StatusCode::OK));
    assert_eq!(
        app.get("/v1/events/changes", None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_statement_past_its_time_limit_answers_503_and_frees_its_connection() {
    let app = TestApp::spawn_with(|s| {
        s.limits.statement_timeout = Duration::from_millis(300);
    })
    .await;
    let blocker = locked(&app, "regions").await;
    let started = Instant::now();
    let response = app.get("/v1/regions", None).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered at the statement's limit, not when the lock went"
    );
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, 503, "unavailable").await;
    blocker.commit().await.expect("release");
    let response = app.get("/v1/regions", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(body(response).await["items"].is_array());
}
