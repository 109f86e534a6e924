//! Delivery: signed the Standard Webhooks way, retried until the receiver
//! recovers, a 410 disables, private targets refused unless allowed.

use liaison_tests::{body, readme_snippet_verifies, scalar, Receiver, TestApp};
use reqwest::StatusCode;
use serde_json::json;

/// `POST /v1/webhooks/{id}/ping` as `token`; returns the queued delivery.
async fn ping(app: &TestApp, token: &str, id: &str) -> serde_json::Value {
    let response = app
        .post(&format!("/v1/webhooks/{id}/ping"), Some(token), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    body(response).await
}

#[tokio::test]
async fn a_ping_arrives_signed_with_the_secret_shown_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let receiver = Receiver::start();
    let id = app
        .webhook(&admin, &receiver, json!({"events": ["event.created"]}))
        .await;
    let queued = ping(&app, &admin.token, &id).await;
    assert_eq!(queued["event"], "webhook.ping");
    let got = receiver.wait_for(1).await;
    assert!(got[0].verified, "the signature verifies with the secret");
    assert_eq!(
        got[0].id,
        queued["id"].as_str().expect("delivery id"),
        "webhook-id is the delivery id"
    );
    assert!((chrono::Utc::now().timestamp() - got[0].timestamp).abs() < 60);
    assert_eq!(got[0].body["type"], "webhook.ping");
    assert_eq!(got[0].body["data"]["webhook_id"], id);
}

#[tokio::test]
async fn the_readme_receiver_snippet_accepts_a_real_delivery_and_refuses_a_forgery() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let receiver = Receiver::start();
    let mut request = json!({"url": receiver.url, "events": ["event.created"]});
    let created = body(app.subscribe(Some(&admin), &request).await).await;
    let secret = created["secret"].as_str().expect("secret").to_owned();
    ping(&app, &admin.token, created["id"].as_str().expect("id")).await;
    let got = receiver.wait_for(1).await.remove(0);
    assert!(readme_snippet_verifies(&secret, &got));
    let mut forged = got.clone();
    forged.raw = br#"{"type":"pass.issued"}"#.to_vec();
    assert!(
        !readme_snippet_verifies(&secret, &forged),
        "another body fails"
    );
    request["url"] = json!("https://hooks.example.org/");
    let other = body(app.subscribe(Some(&admin), &request).await).await;
    assert!(
        !readme_snippet_verifies(other["secret"].as_str().expect("secret"), &got),
        "another secret fails"
    );
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_same_delivery_until_it_recovers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let receiver = Receiver::answering(&[500, 500]);
    let id = app
        .webhook(&admin, &receiver, json!({"events": ["event.created"]}))
        .await;
    let queued = ping(&app, &admin.token, &id).await;
    for n in 1..=3 {
        receiver.wait_for(n).await;
        // Skip the backoff's wait.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        app.webhooks_due_now().await;
    }
    let got = receiver.wait_for(3).await;
    assert_eq!(
        got.iter().map(|r| r.answered).collect::<Vec<_>>(),
        vec![500, 500, 200]
    );
    assert!(
        got.iter()
            .all(|r| r.verified && r.id == queued["id"].as_str().expect("id")),
        "the same delivery id on every attempt"
    );
    let log = body(
        app.get(&format!("/v1/webhooks/{id}/deliveries"), Some(&admin.token))
            .await,
    )
    .await;
    let delivery = &log["items"][0];
    assert_eq!(delivery["status"], "sent");
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["last_response_code"], 200);
    let codes = scalar(
        &app.db,
        "SELECT count(*) AS n FROM outbox_attempts WHERE response_code = 500 AND NOT ok",
    )
    .await;
    assert_eq!(codes, 2, "each failed attempt keeps its status code");
    let sub = body(
        app.get(&format!("/v1/webhooks/{id}"), Some(&admin.token))
            .await,
    )
    .await;
    assert_eq!(
        sub["failing_since"],
        json!(null),
        "a success ends the run of failures"
    );
}

#[tokio::test]
async fn a_410_disables_the_subscription_at_once_and_patch_re_enables_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let receiver = Receiver::answering(&[410]);
    let id = app
        .webhook(&admin, &receiver, json!({"events": ["event.created"]}))
        .await;
    ping(&app, &admin.token, &id).await;
    receiver.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sub = body(
        app.get(&format!("/v1/webhooks/{id}"), Some(&admin.token))
            .await,
    )
    .await;
    assert_eq!(sub["enabled"], false);
    assert_eq!(sub["disabled_reason"], "gone");
    // A disabled subscription's deliveries wait.
    ping(&app, &admin.token, &id).await;
    app.webhooks_due_now().await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        receiver.received().len(),
        1,
        "nothing is sent while disabled"
    );
    let back = app
        .patch_if_match(
            &format!("/v1/webhooks/{id}"),
            &admin.token,
            None,
            &json!({"enabled": true}),
        )
        .await;
    assert_eq!(back.status(), StatusCode::OK);
    assert_eq!(body(back).await["disabled_reason"], json!(null));
    app.webhooks_due_now().await;
    let got = receiver.wait_for(2).await;
    assert!(
        got.len() >= 2,
        "the waiting deliveries resume once re-enabled"
    );
}

#[tokio::test]
async fn failing_for_three_days_disables_the_subscription() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let receiver = Receiver::answering(&[503]);
    let id = app
        .webhook(&admin, &receiver, json!({"events": ["event.created"]}))
        .await;
    liaison_tests::exec(
        &app.db,
        &format!("UPDATE webhook_subscriptions SET failing_since = now() - interval '3 days 1 minute' WHERE id = '{id}'"),
    )
    .await;
    ping(&app, &admin.token, &id).await;
    receiver.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sub = body(
        app.get(&format!("/v1/webhooks/{id}"), Some(&admin.token))
            .await,
    )
    .await;
    assert_eq!(sub["enabled"], false);
    assert_eq!(sub["disabled_reason"], "failing");
}

#[tokio::test]
async fn a_target_on_a_loopback_address_is_refused_when_private_targets_are_not_allowed() {
    let app = TestApp::spawn_with(|s| s.outbox.webhook_allow_private = false).await;
    let admin = app.admin().await;
    let receiver = Receiver::start();
    // https, so the URL is acceptable; the address it resolves to is not.
    let port = receiver
        .url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/hook");
    let response = app
        .subscribe(
            Some(&admin),
            &json!({"url": format!("https://127.0.0.1:{port}/hook"), "events": ["event.created"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = body(response).await["id"].as_str().expect("id").to_owned();
    ping(&app, &admin.token, &id).await;
    let mut log = serde_json::Value::Null;
    for _ in 0..100 {
        log = body(
            app.get(&format!("/v1/webhooks/{id}/deliveries"), Some(&admin.token))
                .await,
        )
        .await;
        if log["items"][0]["attempts"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let delivery = &log["items"][0];
    assert_eq!(delivery["attempts"], 1, "{log}");
    assert_eq!(
        delivery["status"], "pending",
        "retried later, as any failure"
    );
    assert!(
        delivery["last_error"]
            .as_str()
            .expect("error")
            .starts_with("refused"),
        "{delivery}"
    );
    assert_eq!(delivery["last_response_code"], json!(null));
    assert!(
        receiver.received().is_empty(),
        "nothing reached the loopback receiver"
    );
}
