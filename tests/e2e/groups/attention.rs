//! `GET /v1/regions/{slug}/groups/attention`: the flagged active groups of a region.

use liaison_tests::{assert_problem, body, change_group_status, id_of, Member, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{flags, health, review, slugs_of};

/// A healthy provisional group: two organizers, a recent held event, an upcoming one.
async fn healthy_group(
    app: &TestApp,
    staff: &Member,
    owner: &Member,
    co: &Member,
    slug: &str,
    country: &str,
) -> String {
    let group = app.provisional_group(staff, owner, slug, country).await;
    let id = id_of(&group);
    app.add_co_organizer(owner, &id, co).await;
    app.held_event(owner, &id, 20).await;
    app.group_event(owner, &id, 10, "scheduled", None).await;
    assert_eq!(flags(&health(app, None, &id).await), Vec::<String>::new());
    id
}

#[tokio::test]
async fn the_attention_list_shows_the_flagged_active_groups_of_the_region_only() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    healthy_group(&app, &staff, &ada, &ben, "healthy-lyon", "FR").await;
    // Flagged, provisional, in europe (DE): listed.
    app.provisional_group(&staff, &ada, "quiet-berlin", "DE")
        .await;
    // Flagged but official: listed.
    let official = healthy_group(&app, &staff, &ada, &ben, "official-paris", "FR").await;
    app.held_event(&ada, &official, 40).await;
    app.held_event(&ada, &official, 60).await;
    let response =
        change_group_status(&app, Some(&staff.token), &official, "official", "Ready.").await;
    assert_eq!(response.status(), StatusCode::OK);
    let events = body(
        app.get(&format!("/v1/groups/{official}/events"), None)
            .await,
    )
    .await;
    let upcoming = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["status"] == "scheduled")
        .cloned()
        .expect("an upcoming event");
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/events/{}", id_of(&upcoming)),
            Some(&ada.token),
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Flagged but not active: pending, rejected, inactive.
    app.group(&ada, "pending-lille", "FR").await;
    let rejected = app.group(&ada, "rejected-nice", "FR").await;
    let response = review(
        &app,
        Some(&staff.token),
        &id_of(&rejected),
        "reject",
        Some("No."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let inactive = app
        .provisional_group(&staff, &ada, "inactive-lyon", "FR")
        .await;
    let response = change_group_status(
        &app,
        Some(&staff.token),
        &id_of(&inactive),
        "inactive",
        "Dormant.",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Flagged, active, but in another region or in none.
    app.provisional_group(&staff, &ada, "quiet-tokyo", "JP")
        .await;
    app.provisional_group(&staff, &ada, "quiet-rio", "BR").await;
    // Act
    for reader in [&marie, &staff] {
        let response = app
            .get("/v1/regions/europe/groups/attention", Some(&reader.token))
            .await;
        // Assert
        assert_eq!(response.status(), StatusCode::OK);
        let list = body(response).await["items"].clone();
        assert_eq!(slugs_of(&list), ["official-paris", "quiet-berlin"]);
        let items = list.as_array().expect("an array");
        assert_eq!(items[0]["status"], "official");
        assert_eq!(flags(&items[0]["health"]), ["no_upcoming_event"]);
        assert_eq!(
            flags(&items[1]["health"]),
            ["no_event_180d", "single_organizer", "no_upcoming_event"]
        );
    }
    let response = app
        .get("/v1/regions/asia/groups/attention", Some(&staff.token))
        .await;
    assert_eq!(slugs_of(&body(response).await["items"]), ["quiet-tokyo"]);
}

#[tokio::test]
async fn the_attention_list_is_for_the_regions_ambassadors_and_staff() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    app.provisional_group(&staff, &ada, "quiet-berlin", "DE")
        .await;
    let path = "/v1/regions/europe/groups/attention";
    assert_problem(app.get(path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(path, Some(&ada.token)).await, 403, "forbidden").await;
    assert_problem(app.get(path, Some(&kenji.token)).await, 403, "forbidden").await;
    // Kenji reads his own region's list.
    let response = app
        .get("/v1/regions/asia/groups/attention", Some(&kenji.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["items"], json!([]));
}

#[tokio::test]
async fn the_attention_list_of_an_unknown_region_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let response = app
        .get("/v1/regions/nowhere/groups/attention", Some(&staff.token))
        .await;
    assert_problem(response, 404, "not_found").await;
}
