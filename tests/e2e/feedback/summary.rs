//! `GET /v1/feedback/summary` and `/similar`: the roll-up, and the lookup by title.

use liaison_tests::{assert_problem, body, id_of, TestApp};
use serde_json::json;

#[tokio::test]
async fn the_summary_groups_by_component_and_region_with_votes_and_top_items() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let loud = id_of(&app.feedback(&ada, "Live migration times out").await);
    let dup = id_of(&app.feedback(&ben, "Live migration hangs").await);
    app.feedback(&ada, "Resize fails on full hosts").await;
    let mut networking = liaison_tests::feedback_request("Routers drop packets under load");
    networking["component"] = json!("networking");
    app.post("/v1/feedback", Some(&ada.token), &networking)
        .await;
    app.vote(&ben, &loud).await;
    app.vote(&ada, &dup).await;
    app.triage(
        &staff,
        &dup,
        json!({"status": "duplicate", "duplicate_of": loud}),
    )
    .await;
    let summary = body(
        app.get("/v1/feedback/summary?group_by=component,region", None)
            .await,
    )
    .await;
    assert_eq!(summary["group_by"], json!(["component", "region"]));
    let buckets = summary["buckets"].as_array().expect("buckets");
    assert_eq!(buckets.len(), 2);
    let compute = &buckets[0];
    assert_eq!(
        compute["key"],
        json!({"component": "compute", "region": "europe"})
    );
    assert_eq!(
        compute["items"], 2,
        "the duplicate counts in its canonical item"
    );
    assert_eq!(compute["votes"], 2);
    assert_eq!(compute["regions"], 1);
    assert_eq!(compute["top"][0]["id"], loud.as_str());
    assert_eq!(compute["top"][0]["votes"], 2);
    assert!(
        !summary.to_string().contains(&ada.id.to_string()),
        "no author"
    );
    let by_kind = body(
        app.get("/v1/feedback/summary?group_by=kind&kind=bug", None)
            .await,
    )
    .await;
    assert_eq!(by_kind["buckets"][0]["items"], 3);
}

#[tokio::test]
async fn a_bad_grouping_or_window_is_400() {
    let app = TestApp::spawn().await;
    for query in [
        "group_by=colour",
        "group_by=component,region,kind",
        "group_by=kind,kind",
        "group_by=kind&since=2026-12-01T00:00:00Z&until=2026-01-01T00:00:00Z",
        "group_by=kind&kind=rant",
    ] {
        assert_problem(
            app.get(&format!("/v1/feedback/summary?{query}"), None)
                .await,
            400,
            "malformed_request",
        )
        .await;
    }
}

#[tokio::test]
async fn similar_titles_are_found_for_members() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let id = id_of(
        &app.feedback(&ada, "Live migration times out on large instances")
            .await,
    );
    app.feedback(&ada, "Dashboard is slow to load").await;
    let found = body(
        app.get(
            "/v1/feedback/similar?q=live%20migration%20timeout",
            Some(&ada.token),
        )
        .await,
    )
    .await;
    let items = found["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    assert_problem(
        app.get("/v1/feedback/similar?q=ab", Some(&ada.token)).await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get("/v1/feedback/similar?q=live", None).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn the_similar_lookup_is_for_members_not_keys() {
    let app = TestApp::spawn().await;
    let key = liaison_tests::api_key(&app, &["feedback:read"], &[]).await;
    assert_problem(
        app.get("/v1/feedback/similar?q=live%20migration", Some(&key))
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_summary_is_computed_once_per_question_for_its_max_age() {
    let app =
        TestApp::spawn_with(|s| s.limits.summary_cache = std::time::Duration::from_secs(60)).await;
    let ada = app.member("Ada").await;
    app.feedback(&ada, "Live migration times out").await;
    let path = "/v1/feedback/summary?group_by=component";
    let first = app.get(path, None).await;
    assert_eq!(first.status(), 200);
    assert_eq!(
        first.headers()["cache-control"],
        "public, max-age=60",
        "the answer says how old it may be"
    );
    let first = body(first).await;
    assert_eq!(first["buckets"][0]["items"], 1);
    app.feedback(&ada, "Resize fails on full hosts").await;
    // Twenty dashboards asking at once get the one computed answer.
    let asks = (0..20).map(|_| async { body(app.get(path, None).await).await });
    for answer in futures_util::future::join_all(asks).await {
        assert_eq!(answer, first, "served as computed, within max-age");
    }
    let other = body(app.get("/v1/feedback/summary?group_by=kind", None).await).await;
    assert_eq!(
        other["buckets"][0]["items"], 2,
        "another question is computed afresh"
    );
}

/// Found by schemathesis: `group_by` was documented as any string.
#[tokio::test]
async fn every_documented_grouping_is_answered_and_others_are_400() {
    let doc = liaison_tests::document();
    let op = liaison_tests::operation(&doc, "get", "/v1/feedback/summary");
    let values = liaison_tests::parameter_schema(&doc, op, "group_by")["enum"]
        .as_array()
        .cloned()
        .expect("enum");
    assert_eq!(values.len(), 36, "6 fields, and 30 ordered pairs of two");
    let app = TestApp::spawn().await;
    for value in &values {
        let value = value.as_str().expect("value");
        let response = app
            .get(&format!("/v1/feedback/summary?group_by={value}"), None)
            .await;
        assert_eq!(response.status().as_u16(), 200, "{value}");
    }
    for value in ["", "kind,kind", "kind,region,month", "votes"] {
        let response = app
            .get(&format!("/v1/feedback/summary?group_by={value}"), None)
            .await;
        assert_problem(response, 400, "malformed_request").await;
        assert!(!values.contains(&json!(value)), "{value}");
    }
}
