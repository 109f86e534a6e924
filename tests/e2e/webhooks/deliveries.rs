//! `GET /v1/webhooks/{id}/deliveries` and `POST …/deliveries/{delivery_id}/retry`.

use liaison_tests::{assert_problem, body, Receiver, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_log_shows_each_delivery_and_a_retry_sends_it_again_with_the_same_id() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let receiver = Receiver::start();
    let id = app
        .webhook(&admin, &receiver, json!({"events": ["event.created"]}))
        .await;
    let delivery = body(
        app.post(
            &format!("/v1/webhooks/{id}/ping"),
            Some(&admin.token),
            &json!({}),
        )
        .await,
    )
    .await;
    let delivery_id = delivery["id"].as_str().expect("id").to_owned();
    receiver.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = body(
        app.get(&format!("/v1/webhooks/{id}/deliveries"), Some(&admin.token))
            .await,
    )
    .await;
    assert_eq!(log["items"].as_array().expect("items").len(), 1);
    assert_eq!(log["items"][0]["status"], "sent");
    assert_eq!(log["items"][0]["last_response_code"], 200);
    assert_eq!(log["next_cursor"], json!(null));

    let retried = app
        .post(
            &format!("/v1/webhooks/{id}/deliveries/{delivery_id}/retry"),
            Some(&admin.token),
            &json!({}),
        )
        .await;
    assert_eq!(retried.status(), StatusCode::ACCEPTED);
    assert_eq!(body(retried).await["status"], "pending");
    let got = receiver.wait_for(2).await;
    assert_eq!(
        got[1].id, delivery_id,
        "a receiver de-duplicates on the same id"
    );
    assert!(got[1].verified);

    let unknown = app
        .post(
            &format!(
                "/v1/webhooks/{id}/deliveries/{}/retry",
                uuid::Uuid::now_v7()
            ),
            Some(&admin.token),
            &json!({}),
        )
        .await;
    assert_problem(unknown, 404, "not_found").await;
}

#[tokio::test]
async fn only_the_owner_and_admins_read_the_log() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let stranger = app.member("Stan").await;
    let receiver = Receiver::start();
    let id = app
        .webhook(&admin, &receiver, json!({"events": ["event.created"]}))
        .await;
    let response = app
        .get(
            &format!("/v1/webhooks/{id}/deliveries"),
            Some(&stranger.token),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .get(&format!("/v1/webhooks/{id}/deliveries"), None)
        .await;
    assert_problem(response, 401, "unauthenticated").await;
}
