//! `GET /v1/feedback`: filters, sort by votes, pages and CSV.

use liaison_tests::{api_key, assert_problem, body, id_of, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_list_filters_sorts_by_votes_and_pages() {
    let app = TestApp::spawn().await;
    app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let quiet = id_of(&app.feedback(&ada, "Dashboard is slow to load").await);
    let loud = id_of(&app.feedback(&ada, "Live migration times out").await);
    app.vote(&ben, &loud).await;
    let mut networking = liaison_tests::feedback_request("Routers drop packets under load");
    networking["component"] = json!("networking");
    networking["kind"] = json!("pain_point");
    app.post("/v1/feedback", Some(&ada.token), &networking)
        .await;
    let reader = api_key(&app, &["feedback:read"], &[]).await;
    let by_votes = body(
        app.get("/v1/feedback?sort=votes&component=compute", Some(&reader))
            .await,
    )
    .await;
    let ids: Vec<&str> = by_votes["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, [loud.as_str(), quiet.as_str()]);
    let pain = body(
        app.get(
            "/v1/feedback?kind=pain_point&region=europe",
            Some(&ben.token),
        )
        .await,
    )
    .await;
    assert_eq!(pain["items"].as_array().map(Vec::len), Some(1));
    let first = body(app.get("/v1/feedback?limit=2", Some(&ben.token)).await).await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let second = body(
        app.get(
            &format!("/v1/feedback?limit=2&cursor={cursor}"),
            Some(&ben.token),
        )
        .await,
    )
    .await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(second["items"][0]["id"], quiet.as_str(), "newest first");
    let searched = body(app.get("/v1/feedback?q=migration", Some(&ben.token)).await).await;
    assert_eq!(searched["items"][0]["id"], loud.as_str());
}

#[tokio::test]
async fn the_list_is_for_members_and_feedback_read_keys_and_refuses_unknown_filters() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    app.feedback(&ada, "Live migration times out").await;
    assert_problem(app.get("/v1/feedback", None).await, 401, "unauthenticated").await;
    let key = api_key(&app, &["passes:read"], &[]).await;
    assert_problem(app.get("/v1/feedback", Some(&key)).await, 403, "forbidden").await;
    assert_problem(
        app.get("/v1/feedback?status=lost", Some(&ada.token)).await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get("/v1/feedback?sort=loudest", Some(&ada.token)).await,
        400,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn the_list_exports_every_item_as_csv() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    app.feedback(&ada, "Live migration times out").await;
    app.feedback(&ada, "Dashboard is slow to load").await;
    let response = app
        .call(Method::GET, "/v1/feedback", Some(&ada.token))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,kind,component,title,severity,status,region,votes,created_at"
    );
    assert_eq!(lines.len(), 3);
}
