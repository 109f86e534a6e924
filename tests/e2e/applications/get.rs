//! `GET /v1/applications/{id}`: who reads an application, and what each of them sees.

use liaison_tests::{assert_problem, body, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{read, setup};

#[tokio::test]
async fn the_applicant_reads_their_draft_with_an_etag() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&ada.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("etag").is_some());
    assert_eq!(body(response).await, draft);
}

#[tokio::test]
async fn staff_read_a_draft_with_its_reviews() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let as_staff = read(&app, &staff, &id_of(&draft)).await;
    assert_eq!(as_staff["reviews"], json!([]), "staff see the reviews");
}

#[tokio::test]
async fn an_ambassador_reads_an_application_once_submitted_and_without_its_reviews() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    // A draft is the applicant's work in progress: reviewers who are not
    // staff see it once submitted.
    assert_problem(
        app.get(&format!("/v1/applications/{id}"), Some(&ambassador.token))
            .await,
        404,
        "not_found",
    )
    .await;
    app.submit(&ada, &id).await;
    let as_ambassador = read(&app, &ambassador, &id).await;
    assert!(as_ambassador.get("reviews").is_none(), "{as_ambassador}");
    assert_eq!(as_ambassador["status"], "submitted");
    assert_eq!(as_ambassador["why_apply"], draft["why_apply"]);
}

#[tokio::test]
async fn another_member_gets_404_and_an_anonymous_caller_401_on_a_submitted_application() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let bob = app.member("Bob").await;
    assert_problem(
        app.get(&format!("/v1/applications/{id}"), Some(&bob.token))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/applications/{id}"), None).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_application_is_404() {
    let app = TestApp::spawn().await;
    let (staff, _) = setup(&app).await;
    assert_problem(
        app.get(
            &format!("/v1/applications/{}", uuid::Uuid::now_v7()),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_applicant_sees_the_means_but_never_who_reviewed() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    app.review(&staff, &id, (4, 2, 5)).await;
    app.review(&kim, &id, (3, 5, 4)).await;
    let means = json!({"track_record": 3.5, "geography": 3.5, "impact": 4.5});
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&ada.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    let seen: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(seen["scores"], json!({"reviews": 2, "means": means}));
    assert!(seen.get("reviews").is_none(), "{text}");
    assert!(seen.get("my_review").is_none(), "{text}");
    for reviewer in [&staff, &kim] {
        assert!(!text.contains(&reviewer.id.to_string()), "{text}");
    }
    let response = app.get("/v1/me/applications", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    let page: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(page["items"][0]["scores"]["means"], means);
    for reviewer in [&staff, &kim] {
        assert!(!text.contains(&reviewer.id.to_string()), "{text}");
    }
    // Staff see who reviewed.
    let as_staff = read(&app, &staff, &id).await;
    let reviewers: Vec<&str> = as_staff["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .filter_map(|r| r["reviewer_id"].as_str())
        .collect();
    assert_eq!(reviewers, [staff.id.to_string(), kim.id.to_string()]);
    assert_eq!(as_staff["scores"]["means"], means);
}
