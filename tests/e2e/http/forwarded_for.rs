//! `X-Forwarded-For`: forged entries do not dodge the rate limit; trusted proxies are skipped.

use liaison_api::settings::TrustedProxies;
use liaison_tests::{assert_problem, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn forged_forwarded_entries_do_not_dodge_the_rate_limit() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = TrustedProxies::Hops(1);
        s.auth_rate_limit = 5;
        s.rate_limit_window_secs = 3600;
    })
    .await;
    let mut limited = 0;
    for i in 0..35 {
        // The proxy appends what it saw (the last entry); the client wrote the rest.
        let response = app
            .request(Method::POST, "/v1/auth/refresh")
            .header("X-Forwarded-For", format!("10.9.{i}.1, 203.0.113.7"))
            .json(&json!({"refresh_token": "nope"}))
            .send()
            .await
            .expect("request");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert_eq!(limited, 30, "5 allowed, 30 limited");
    // Another client behind the same proxy has a budget of its own.
    let response = app
        .request(Method::POST, "/v1/auth/refresh")
        .header("X-Forwarded-For", "10.9.0.1, 203.0.113.8")
        .json(&json!({"refresh_token": "nope"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn trusted_proxy_networks_are_skipped_from_the_right() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = "127.0.0.0/8, 10.0.0.0/8".parse().expect("networks");
        s.auth_rate_limit = 3;
        s.rate_limit_window_secs = 3600;
    })
    .await;
    let statuses = futures_util::future::join_all((0..6).map(|i| {
        app.request(Method::POST, "/v1/auth/refresh")
            .header(
                "X-Forwarded-For",
                format!("198.51.100.{i}, 203.0.113.9, 10.1.1.1"),
            )
            .json(&json!({"refresh_token": "nope"}))
            .send()
    }))
    .await;
    let limited = statuses
        .into_iter()
        .filter(|r| {
            r.as_ref()
                .is_ok_and(|r| r.status() == StatusCode::TOO_MANY_REQUESTS)
        })
        .count();
    assert_eq!(limited, 3, "all six came from 203.0.113.9");
}
