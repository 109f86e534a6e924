//! `GET /v1/feedback/{id}/history`: every status change, who, when, from, to, note.

use liaison_tests::{api_key, assert_problem, body, id_of, TestApp};
use serde_json::json;

#[tokio::test]
async fn the_history_lists_each_change_with_its_author_and_note() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    app.triage(&staff, &id, json!({"status": "triaged"})).await;
    app.triage(
        &staff,
        &id,
        json!({"status": "rejected", "note": "Works as designed"}),
    )
    .await;
    let reader = api_key(&app, &["feedback:read"], &[]).await;
    let history = body(
        app.get(&format!("/v1/feedback/{id}/history"), Some(&reader))
            .await,
    )
    .await;
    let rows = history["items"].as_array().expect("items");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["from"].as_str(), rows[0]["to"].as_str()),
        (Some("new"), Some("triaged"))
    );
    assert_eq!(
        (rows[1]["to"].as_str(), rows[1]["note"].as_str()),
        (Some("rejected"), Some("Works as designed"))
    );
    assert_eq!(rows[1]["actor_id"], staff.id.to_string());
    assert!(rows[1]["changed_at"].is_string());
    let other_key = api_key(&app, &["passes:read"], &[]).await;
    assert_problem(
        app.get(&format!("/v1/feedback/{id}/history"), Some(&other_key))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/feedback/{id}/history"), None).await,
        401,
        "unauthenticated",
    )
    .await;
}
