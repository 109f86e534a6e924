//! `GET /v1/groups/{id}/messages`: a group's site polls its region's active messages.

use liaison_tests::{assert_problem, body, etag, exec, id_of, page_ids, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_groups_site_gets_its_regions_active_messages_and_polls_with_304() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let lea = app.member("Lea").await;
    let lyon = app.approved_group(&staff, &lea, "lyon-ops", "FR").await;
    let all = id_of(&app.message(&staff, json!("all")).await);
    let europe = id_of(&app.message(&staff, json!(["europe"])).await);
    app.message(&staff, json!(["asia"])).await;
    let expired = id_of(&app.message(&staff, json!(["europe"])).await);
    exec(
        &app.db,
        &format!(
            "UPDATE messages SET expires_at = now() - interval '1 minute' WHERE id = '{expired}'"
        ),
    )
    .await;
    for path in [
        format!("/v1/groups/{lyon}/messages"),
        "/v1/groups/lyon-ops/messages".to_owned(),
    ] {
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        assert_eq!(page_ids(&page), [europe.as_str(), all.as_str()], "{path}");
        assert_eq!(page["items"][0]["acknowledged"], false);
    }
    let path = format!("/v1/groups/{lyon}/messages");
    let poll = |tag: String| {
        app.call(Method::GET, &path, None)
            .header("If-None-Match", tag)
            .send()
    };
    let tag = etag(&app.get(&path, None).await);
    let unchanged = poll(tag.clone()).await.expect("poll");
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(etag(&unchanged), tag);
    assert_eq!(
        app.acknowledge(&lea, &europe, &lyon).await.status(),
        StatusCode::CREATED
    );
    let changed = poll(tag.clone()).await.expect("poll");
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(etag(&changed), tag);
    let page = body(changed).await;
    assert_eq!(page["items"][0]["acknowledged"], true);
    assert_eq!(page["items"][1]["acknowledged"], false);
    let camille = app.member("Camille").await;
    app.accepted_translation(&staff, &camille, &all, "fr").await;
    let french = body(app.get_in(&path, None, "fr").await).await;
    assert_eq!(french["items"][1]["title"], "La version 2027.1 est sortie");
    assert_eq!(french["items"][1]["language"], "fr");
    assert_eq!(french["items"][0]["language"], "en");
    let one = body(app.get(&format!("{path}?limit=1"), None).await).await;
    assert_eq!(page_ids(&one), [europe.as_str()]);
    assert!(one["next_cursor"].is_string());
}

#[tokio::test]
async fn a_pending_groups_feed_is_seen_by_its_organizers_only_and_an_unknown_group_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let lea = app.member("Lea").await;
    let pending = id_of(&app.group(&lea, "nice-ops", "FR").await);
    let path = format!("/v1/groups/{pending}/messages");
    assert_problem(app.get(&path, None).await, 404, "not_found").await;
    let other = app.member("Other").await;
    assert_problem(app.get(&path, Some(&other.token)).await, 404, "not_found").await;
    assert_eq!(
        app.get(&path, Some(&lea.token)).await.status(),
        StatusCode::OK
    );
    assert_problem(
        app.get("/v1/groups/nowhere/messages", None).await,
        404,
        "not_found",
    )
    .await;
    let _ = staff;
}
