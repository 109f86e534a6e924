//! `POST /v1/feedback`: members file items, with similar ones suggested.

use liaison_tests::{
    api_key, assert_problem, body, count, error_fields, feedback_request, id_of, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_member_files_an_item_of_their_region_and_sees_similar_ones() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let first = app
        .feedback(&ada, "Live migration times out on large instances")
        .await;
    assert_eq!(first["status"], "new");
    assert_eq!(first["region"], "europe");
    assert_eq!(first["votes"], 0);
    assert_eq!(first["similar"], json!([]));
    let ben = app.member("Ben").await;
    let second = app
        .feedback(&ben, "Live migration times out on big instances")
        .await;
    assert_eq!(second["similar"][0]["id"], first["id"]);
    assert!(second["similar"][0]["similarity"]
        .as_f64()
        .is_some_and(|s| s > 0.3));
    let read = body(
        app.get(&format!("/v1/feedback/{}", id_of(&first)), Some(&ben.token))
            .await,
    )
    .await;
    assert_eq!(read["title"], "Live migration times out on large instances");
    assert_eq!(
        app.audited(&staff, "feedback", "feedback.submitted").await,
        2
    );
}

#[tokio::test]
async fn an_invalid_item_names_each_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let tags: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    let bad = json!({"kind": "bug", "component": "warp-drive", "title": "Bad", "body": "short", "severity": "high", "tags": tags});
    let problem = assert_problem(
        app.post("/v1/feedback", Some(&ada.token), &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["title", "body", "tags", "component"]
    );
    let unknown_kind = json!({"kind": "rant", "component": "compute", "title": "Valid title", "body": "A valid body text.", "severity": "high"});
    let problem = assert_problem(
        app.post("/v1/feedback", Some(&ada.token), &unknown_kind)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["kind"]);
    assert_eq!(count(&app.db, "feedback").await, 0);
}

#[tokio::test]
async fn only_members_file_items() {
    let app = TestApp::spawn().await;
    let key = api_key(&app, &["feedback:read"], &[]).await;
    let request = feedback_request("Live migration times out");
    assert_problem(
        app.post("/v1/feedback", None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post("/v1/feedback", Some(&key), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "feedback").await, 0);
}

#[tokio::test]
async fn only_a_groups_organizers_link_an_item_to_it_and_the_item_takes_its_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let tokyo = id_of(&app.provisional_group(&staff, &ada, "tokyo-ops", "JP").await);
    let mut request = feedback_request("Upgrades break the dashboard");
    request["group_id"] = json!(tokyo);
    let problem = assert_problem(
        app.post("/v1/feedback", Some(&ben.token), &request).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["group_id"]);
    assert_eq!(count(&app.db, "feedback").await, 0);
    let response = app.post("/v1/feedback", Some(&ada.token), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let item = body(response).await;
    assert_eq!(
        item["region"], "asia",
        "the group's region, not the author's"
    );
    let health = body(app.get(&format!("/v1/groups/{tokyo}/health"), None).await).await;
    assert_eq!(health["feedback_last_365_days"], 1);
}

#[tokio::test]
async fn a_filing_retried_with_its_idempotency_key_files_one_item() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let request = feedback_request("Live migration times out");
    let send = || {
        app.call(reqwest::Method::POST, "/v1/feedback", Some(&ada.token))
            .header("Idempotency-Key", "file-once")
            .json(&request)
            .send()
    };
    let first = send().await.expect("first");
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = body(first).await;
    let again = send().await.expect("again");
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(body(again).await, first);
    assert_eq!(count(&app.db, "feedback").await, 1);
}
