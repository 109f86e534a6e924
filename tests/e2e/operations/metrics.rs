//! `/metrics`: requests by route and status, process, pool and gate gauges.

use liaison_tests::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn metrics_carry_the_process_pool_and_gate_gauges() {
    let app = TestApp::spawn().await;
    let text = app.get("/metrics", None).await.text().await.expect("text");
    for series in [
        "process_resident_memory_bytes ",
        "process_peak_resident_memory_bytes ",
        "process_threads ",
        "http_connections_open ",
        "db_pool_connections{state=\"in_use\"} ",
        "db_pool_connections{state=\"idle\"} ",
        "db_pool_max_connections 6",
        "gate_in_use{gate=\"csv_exports\"} 0",
        "gate_waiting{gate=\"syncs\"} 0",
        "gate_capacity{gate=\"feed_reads\"} 16",
    ] {
        assert!(text.contains(series), "{series} in {text}");
    }
    let resident: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("process_resident_memory_bytes "))
        .and_then(|v| v.trim().parse().ok())
        .expect("a resident figure");
    assert!(resident > 1_000_000.0, "read from /proc/self/status");
    let open: i64 = text
        .lines()
        .find_map(|l| l.strip_prefix("http_connections_open "))
        .and_then(|v| v.trim().parse().ok())
        .expect("open connections");
    assert!(open >= 1, "this scrape's own connection is open");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::spawn().await;
    app.get("/v1/regions", None).await;
    app.get("/v1/regions/nowhere", None).await;
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    assert!(
        text.contains("http_requests_total{method=\"GET\",route=\"/v1/regions\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("route=\"/v1/regions/{slug}\",status=\"404\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{le=\"+Inf\",method=\"GET\",route=\"/v1/regions\",status=\"200\"} 1"),
        "{text}"
    );
}
