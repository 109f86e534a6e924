//! `POST /v1/messages`: staff, and ambassadors for the regions they serve, publish.

use liaison_tests::{api_key, assert_problem, body, count, error_fields, message_request, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn staff_publish_to_all_and_an_ambassador_to_the_region_they_serve() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let response = app
        .publish(Some(&staff), &message_request(json!("all")))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let all = body(response).await;
    assert_eq!(
        location,
        format!("/v1/messages/{}", all["id"].as_str().expect("id"))
    );
    assert_eq!(all["audience"], "all");
    assert_eq!(all["author_id"], staff.id.to_string());
    assert_eq!(all["language"], "en");
    assert_eq!(all["languages"], json!(["fr", "de"]));
    assert_eq!(all["active"], true);
    assert_eq!(
        all["body"], "## What changed\n\n- Live migration of large instances\n",
        "Markdown is kept as sent"
    );
    let (ambassador, _) = app.ambassador(&staff, "Amina", "europe").await;
    let mine = app.message(&ambassador, json!(["europe", "europe"])).await;
    assert_eq!(mine["audience"], json!(["europe"]));
    let read = body(app.get(&location, None).await).await;
    assert_eq!(read["title"], "The 2027.1 release is out");
    assert_eq!(app.audited(&staff, "message", "message.published").await, 2);
}

#[tokio::test]
async fn an_ambassador_publishes_neither_to_all_nor_to_a_region_they_do_not_serve() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ambassador, _) = app.ambassador(&staff, "Amina", "europe").await;
    for audience in [json!("all"), json!(["europe", "asia"])] {
        assert_problem(
            app.publish(Some(&ambassador), &message_request(audience))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(count(&app.db, "messages").await, 0);
}

#[tokio::test]
async fn only_staff_and_active_ambassadors_publish() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let member = app.member("Ada").await;
    let key = api_key(&app, &["feedback:read"], &[]).await;
    let request = message_request(json!(["europe"]));
    assert_problem(app.publish(None, &request).await, 401, "unauthenticated").await;
    assert_problem(app.publish(Some(&member), &request).await, 403, "forbidden").await;
    let with_key = app
        .call(Method::POST, "/v1/messages", Some(&key))
        .header("Idempotency-Key", "k-1")
        .json(&request)
        .send()
        .await
        .expect("request");
    assert_problem(with_key, 403, "forbidden").await;
    let (ambassador, term) = app.ambassador(&staff, "Amina", "europe").await;
    app.age_the_term(&term).await;
    assert_problem(
        app.publish(Some(&ambassador), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "messages").await, 0);
}

#[tokio::test]
async fn an_invalid_message_names_each_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let bad = json!({
        "title": "Hey", "body": " \n ", "link": "ftp://example.org", "language": "english!",
        "audience": ["europe", "nowhere", "Not A Slug"],
        "expires_at": chrono::Utc::now() - chrono::Duration::days(1),
        "languages": ["fr", "??"],
    });
    let problem = assert_problem(
        app.publish(Some(&staff), &bad).await,
        422,
        "validation_failed",
    )
    .await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        [
            "audience[1]",
            "audience[2]",
            "body",
            "expires_at",
            "language",
            "languages[1]",
            "link",
            "title"
        ]
    );
    let mut request = message_request(json!("everyone"));
    let problem = assert_problem(
        app.publish(Some(&staff), &request).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["audience"]);
    request["audience"] = json!([]);
    let problem = assert_problem(
        app.publish(Some(&staff), &request).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["audience"]);
    request["body"] = json!("x".repeat(20_001));
    request["audience"] = json!(["europe"]);
    let problem = assert_problem(
        app.publish(Some(&staff), &request).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["body"]);
    let no_title = json!({"body": "Hello", "audience": "all"});
    let problem = assert_problem(
        app.publish(Some(&staff), &no_title).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["title"]);
    assert_eq!(count(&app.db, "messages").await, 0);
    assert_eq!(count(&app.db, "message_regions").await, 0);
}

#[tokio::test]
async fn a_publication_needs_an_idempotency_key_and_a_retry_publishes_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let request = message_request(json!(["europe"]));
    let without = app.post("/v1/messages", Some(&staff.token), &request).await;
    assert_eq!(without.status(), StatusCode::BAD_REQUEST);
    let send = || {
        app.call(Method::POST, "/v1/messages", Some(&staff.token))
            .header("Idempotency-Key", "publish-once")
            .json(&request)
            .send()
    };
    let first = send().await.expect("first");
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = body(first).await;
    let again = send().await.expect("again");
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(body(again).await, first);
    assert_eq!(count(&app.db, "messages").await, 1);
}
