//! `POST /v1/webhooks`: admins subscribe to anything, organizers to their
//! own groups; the secret is shown once; bad input writes nothing.

use liaison_tests::{assert_problem, body, count, error_fields, Receiver, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_admin_subscribes_and_sees_the_secret_only_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app
        .subscribe(Some(&admin), &json!({"url": "https://hooks.example.org/in", "events": ["event.created", "pass.issued"]}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let created = body(response).await;
    assert!(created["secret"]
        .as_str()
        .expect("secret")
        .starts_with("whsec_"));
    assert_eq!(created["events"], json!(["event.created", "pass.issued"]));
    assert_eq!(created["enabled"], true);
    let again = body(app.get(&location, Some(&admin.token)).await).await;
    assert_eq!(again["id"], created["id"]);
    assert!(again.get("secret").is_none(), "the secret is shown once");
}

#[tokio::test]
async fn an_organizer_subscribes_to_their_own_groups_only() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let olga = app.member("Olga").await;
    let other = app.member("Otto").await;
    let mine = app.approved_group(&staff, &olga, "lyon-ops", "FR").await;
    let theirs = app.approved_group(&staff, &other, "tokyo-ops", "JP").await;
    let receiver = Receiver::start();
    let ok = app
        .subscribe(
            Some(&olga),
            &json!({"url": receiver.url, "events": ["event.created"], "group_ids": [mine]}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    for group_ids in [json!([]), json!([theirs]), json!([mine, theirs])] {
        let refused = app
            .subscribe(
                Some(&olga),
                &json!({"url": receiver.url, "events": ["event.created"], "group_ids": group_ids}),
            )
            .await;
        assert_problem(refused, 403, "forbidden").await;
    }
    assert_eq!(
        count(&app.db, "webhook_subscriptions").await,
        1,
        "nothing written when refused"
    );
    // Not signed in.
    let anonymous = app
        .subscribe(
            None,
            &json!({"url": receiver.url, "events": ["event.created"]}),
        )
        .await;
    assert_problem(anonymous, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_bad_url_or_an_unknown_event_type_is_a_422_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for (request, field) in [
        (
            json!({"url": "not a url", "events": ["event.created"]}),
            "url",
        ),
        (
            json!({"url": "ftp://hooks.example.org/", "events": ["event.created"]}),
            "url",
        ),
        (
            json!({"url": "https://hooks.example.org/", "events": ["event.created", "pass.exploded"]}),
            "events[1]",
        ),
        (
            json!({"url": "https://hooks.example.org/", "events": []}),
            "events",
        ),
        (
            json!({"url": "https://hooks.example.org/", "events": ["event.created"], "region": "atlantis"}),
            "region",
        ),
    ] {
        let problem = assert_problem(
            app.subscribe(Some(&admin), &request).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), vec![field.to_owned()], "{request}");
    }
    assert_eq!(count(&app.db, "webhook_subscriptions").await, 0);
    assert_eq!(
        count(&app.db, "idempotency_keys").await,
        0,
        "failed requests are not stored"
    );
}

#[tokio::test]
async fn plain_http_is_refused_unless_private_targets_are_allowed() {
    let app = TestApp::spawn_with(|s| s.outbox.webhook_allow_private = false).await;
    let admin = app.admin().await;
    let problem = assert_problem(
        app.subscribe(
            Some(&admin),
            &json!({"url": "http://hooks.example.org/", "events": ["event.created"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "https_required");
    assert_eq!(count(&app.db, "webhook_subscriptions").await, 0);
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_the_first_answer() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let request = json!({"url": "https://hooks.example.org/in", "events": ["event.created"]});
    let send = || {
        app.call(reqwest::Method::POST, "/v1/webhooks", Some(&admin.token))
            .header("Idempotency-Key", "same-key")
            .json(&request)
            .send()
    };
    let first = body(send().await.expect("first")).await;
    let second = body(send().await.expect("second")).await;
    assert_eq!(first, second);
    assert_eq!(count(&app.db, "webhook_subscriptions").await, 1);
    let without = app
        .call(reqwest::Method::POST, "/v1/webhooks", Some(&admin.token))
        .json(&request)
        .send()
        .await
        .expect("request");
    assert_eq!(without.status(), StatusCode::BAD_REQUEST);
}
