//! Without PostgreSQL the server answers 503, keeps running, and recovers by itself.

use std::time::{Duration, Instant};

use liaison_tests::{assert_problem, DbProxy, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn the_server_answers_503_while_the_database_is_away_and_recovers_without_restart() {
    let proxy = DbProxy::start().await;
    let port = proxy.port();
    let app = TestApp::spawn_with(|s| {
        let url = s
            .database_url
            .0
            .replace("127.0.0.1:5432", &format!("127.0.0.1:{port}"));
        s.database_url.0 = url;
        // A deployment's short acquire timeout, so the outage answers 503 fast.
        s.db_acquire_timeout = std::time::Duration::from_secs(2);
    })
    .await;
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
    assert_eq!(app.get("/v1/regions", None).await.status(), StatusCode::OK);

    proxy.cut();
    let started = Instant::now();
    assert_problem(app.get("/readyz", None).await, 503, "unavailable").await;
    let response = app.get("/v1/regions", None).await;
    assert!(response.headers().contains_key("retry-after"));
    let problem = assert_problem(response, 503, "unavailable").await;
    let text = problem.to_string().to_lowercase();
    assert!(
        !text.contains("sqlx") && !text.contains("connection refused"),
        "no internals: {text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "503 comes quickly, not after a long hang"
    );
    // The process itself is alive.
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);

    proxy.restore().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let status = app.get("/v1/regions", None).await.status();
        if status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "did not recover: still {status}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
}
