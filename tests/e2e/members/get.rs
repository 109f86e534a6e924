//! `GET /v1/members/{id}`: what others, the member and staff see of a profile.

use liaison_tests::{assert_problem, body, TestApp};
use reqwest::StatusCode;
use serde_json::json;

use super::patch_me;

#[tokio::test]
async fn a_public_profile_shows_others_no_email_or_roles() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let path = format!("/v1/members/{}", ada.id);
    for token in [Some(bob.token.as_str()), None] {
        let response = app.get(&path, token).await;
        assert_eq!(response.status(), StatusCode::OK);
        let profile = body(response).await;
        assert_eq!(profile["id"], ada.id.to_string());
        assert_eq!(profile["display_name"], "Ada");
        assert_eq!(profile["country"], "FR");
        let fields = profile.as_object().expect("object");
        assert!(!fields.contains_key("email"), "{profile}");
        assert!(!fields.contains_key("roles"), "{profile}");
    }
}

#[tokio::test]
async fn the_member_and_staff_see_the_email_and_roles() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let staff = app.staff().await;
    let path = format!("/v1/members/{}", ada.id);
    let own = body(app.get(&path, Some(&ada.token)).await).await;
    assert_eq!(own["email"], ada.email.as_str());
    assert_eq!(own["roles"], json!([]));
    let response = app.get(&path, Some(&staff.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen_by_staff = body(response).await;
    assert_eq!(seen_by_staff["email"], ada.email.as_str());
    assert_eq!(seen_by_staff["roles"], json!([]));
    let staff_profile = body(
        app.get(&format!("/v1/members/{}", staff.id), Some(&ada.token))
            .await,
    )
    .await;
    assert!(staff_profile.get("roles").is_none(), "{staff_profile}");
}

#[tokio::test]
async fn a_private_profile_is_404_to_others_but_visible_to_the_member_and_staff() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let staff = app.staff().await;
    let response = patch_me(&app, &ada, None, &json!({"profile_public": false})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let path = format!("/v1/members/{}", ada.id);
    assert_problem(app.get(&path, Some(&bob.token)).await, 404, "not_found").await;
    assert_problem(app.get(&path, None).await, 404, "not_found").await;
    let own = app.get(&path, Some(&ada.token)).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(body(own).await["profile_public"], false);
    let seen_by_staff = app.get(&path, Some(&staff.token)).await;
    assert_eq!(seen_by_staff.status(), StatusCode::OK);
    assert_eq!(body(seen_by_staff).await["email"], ada.email.as_str());
    // Public again: others see it again.
    let response = patch_me(&app, &ada, None, &json!({"profile_public": true})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.get(&path, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_or_malformed_member_id_is_404() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    assert_problem(
        app.get("/v1/members/not-a-uuid", Some(&ada.token)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/members/{}", uuid::Uuid::now_v7()), None)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_bad_token_reading_a_profile_is_401_not_an_anonymous_read() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let path = format!("/v1/members/{}", ada.id);
    assert_problem(
        app.get(&path, Some("not-a-token")).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(app.get(&path, None).await.status(), StatusCode::OK);
}
