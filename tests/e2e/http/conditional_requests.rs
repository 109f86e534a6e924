//! `If-None-Match`: a `GET` whose `ETag` the client holds is a 304 without a body.

use liaison_tests::{body, id_of, summit, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn get_if_none_match(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    tag: &str,
) -> reqwest::Response {
    app.call(Method::GET, path, token)
        .header("If-None-Match", tag)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_single_resource_answers_304_to_its_current_tag_and_200_to_a_stale_one() {
    let app = TestApp::spawn().await;
    let member = app.member("Poll Ing").await;
    let first = app.get("/v1/me", Some(&member.token)).await;
    let tag = first.headers()["etag"].to_str().expect("etag").to_owned();
    let unchanged = get_if_none_match(&app, "/v1/me", Some(&member.token), &tag).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()["etag"], tag.as_str());
    assert!(unchanged.bytes().await.expect("body").is_empty());
    // A weak form of the same tag matches too, as RFC 9110 compares.
    let weak = get_if_none_match(&app, "/v1/me", Some(&member.token), &format!("W/{tag}")).await;
    assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);
    let changed = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&member.token),
            &json!({"city": "Lyon"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let fresh = get_if_none_match(&app, "/v1/me", Some(&member.token), &tag).await;
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(body(fresh).await["city"], "Lyon");
}

#[tokio::test]
async fn a_groups_event_list_carries_an_etag_and_answers_304_until_it_changes() {
    let app = TestApp::spawn().await;
    let organizer = app.member("Olga Organizer").await;
    let group = app.group(&organizer, "pollers", "FR").await;
    let id = group["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/groups/{id}/events");
    let first = app.get(&path, Some(&organizer.token)).await;
    assert_eq!(first.status(), StatusCode::OK);
    let tag = first.headers()["etag"].to_str().expect("etag").to_owned();
    let unchanged = get_if_none_match(&app, &path, Some(&organizer.token), &tag).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    app.group_event(&organizer, &id, 10, "scheduled", None)
        .await;
    let changed = get_if_none_match(&app, &path, Some(&organizer.token), &tag).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        body(changed).await["items"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn every_single_resource_answers_304_to_its_current_tag() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let gid = id_of(&app.provisional_group(&staff, &ada, "lyon-ops", "FR").await);
    let event = app.group_event(&ada, &gid, 10, "scheduled", None).await;
    let sid = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 5}])).await);
    let paths = [
        format!("/v1/members/{}", ada.id),
        "/v1/regions/europe".to_owned(),
        format!("/v1/groups/{gid}"),
        format!("/v1/groups/{gid}/health"),
        "/v1/directory?country=FR".to_owned(),
        format!("/v1/events/{}", id_of(&event)),
        "/v1/recognition-programs/acc".to_owned(),
        format!("/v1/summits/{sid}"),
        format!("/v1/summits/{sid}/eligibility/{}?program=acc", ada.id),
    ];
    for path in &paths {
        let first = app.get(path, Some(&staff.token)).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let tag = first.headers()["etag"].to_str().expect("etag").to_owned();
        let again = get_if_none_match(&app, path, Some(&staff.token), &tag).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
}
