//! `GET /v1/directory?country=`: a country's region, ambassadors and public groups.

use liaison_tests::{assert_problem, body, id_of, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn the_directory_of_a_country_shows_its_region_ambassadors_and_public_groups() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    let (olaf, olafs) = app.ambassador(&staff, "Olaf", "europe").await;
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/ambassadors/{}", id_of(&olafs)),
            Some(&staff.token),
            &json!({"status": "ended", "reason": "Moved on."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ada = app.member("Ada").await;
    let pia = app.member("Pia Private").await;
    app.set_profile(&pia, &json!({"profile_public": false}))
        .await;
    let lyon = app.provisional_group(&staff, &ada, "lyon-ops", "FR").await;
    app.add_co_organizer(&ada, &id_of(&lyon), &pia).await;
    app.group(&ada, "pending-ops", "FR").await;
    app.provisional_group(&staff, &ada, "berlin-ops", "DE")
        .await;
    // Act
    let response = app.get("/v1/directory?country=fr", None).await;
    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let directory = body(response).await;
    assert_eq!(directory["country"], "FR");
    assert_eq!(directory["region"]["slug"], "europe");
    assert_eq!(directory["region"]["name"], "Region europe");
    let ambassadors: Vec<&str> = directory["ambassadors"]
        .as_array()
        .expect("ambassadors")
        .iter()
        .map(|a| a["member_id"].as_str().expect("member_id"))
        .collect();
    assert_eq!(ambassadors, [marie.id.to_string()]);
    assert!(!ambassadors.contains(&kenji.id.to_string().as_str()));
    assert!(
        !ambassadors.contains(&olaf.id.to_string().as_str()),
        "only active ambassadors"
    );
    let groups = directory["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 1, "public groups of FR only: {directory}");
    assert_eq!(groups[0]["slug"], "lyon-ops");
    assert_eq!(groups[0]["private_organizers"], 1);
    let named = groups[0]["organizers"].as_array().expect("organizers");
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["member_id"], ada.id.to_string());
    assert_eq!(named[0]["display_name"], "Ada");
    assert!(
        !directory.to_string().contains(&pia.id.to_string()),
        "a private organizer is not named"
    );
}

#[tokio::test]
async fn the_directory_of_a_country_in_no_region_is_empty() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    app.ambassador(&staff, "Marie", "europe").await;
    let ada = app.member("Ada").await;
    app.provisional_group(&staff, &ada, "lyon-ops", "FR").await;
    let response = app.get("/v1/directory?country=BR", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let brazil = body(response).await;
    assert_eq!(brazil["region"], Value::Null);
    assert_eq!(brazil["ambassadors"], json!([]));
    assert_eq!(brazil["groups"], json!([]));
}

#[tokio::test]
async fn the_directory_needs_a_known_country() {
    let app = TestApp::spawn().await;
    app.staff_with_two_regions().await;
    for path in [
        "/v1/directory",
        "/v1/directory?country=XX",
        "/v1/directory?country=FRA",
    ] {
        let response = app.get(path, None).await;
        assert_problem(response, 400, "malformed_request").await;
    }
}
