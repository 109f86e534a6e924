//! `GET /v1/groups/{id_or_slug}`: who sees a pending group, and the region a group belongs to.

use liaison_tests::{assert_problem, body, id_of, organizers_of, Member, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{health, listed, read, read_ok, review, slugs_of};

/// `PATCH /v1/regions/{slug}` by staff with new countries, asserting 200.
async fn redraw(app: &TestApp, staff: &Member, slug: &str, countries: &[&str]) {
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/regions/{slug}"),
            Some(&staff.token),
            &json!({ "countries": countries }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "redraw {slug}");
}

// domain.md "Regions": "A group's and a member's region follow from their
// country." The two tests below fail today: `groups.region_id` is copied
// from `region_countries` when the group is registered or its country is
// edited, and nothing updates it when staff create a region or change a
// region's countries.

#[tokio::test]
async fn a_group_joins_the_region_its_country_is_later_added_to() {
    // Arrange: a pending group in BR, which is in no region yet.
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let rio = app.group(&ada, "rio-ops", "BR").await;
    assert_eq!(rio["region"], Value::Null);
    // Act: staff create a region holding BR, and give it an ambassador.
    app.region(&staff, "americas", &["BR"], 3).await;
    let (luiza, _) = app.ambassador(&staff, "Luiza", "americas").await;
    // Assert: the group is in americas, and americas' ambassador reviews it.
    assert_eq!(
        read_ok(&app, Some(&staff.token), "rio-ops").await["region"],
        "americas",
        "a BR group belongs to the region that now holds BR"
    );
    assert_eq!(
        listed(&app, Some(&staff.token), "?region=americas").await,
        ["rio-ops"]
    );
    let response = review(&app, Some(&luiza.token), &id_of(&rio), "approve", None).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the region's ambassador reviews it"
    );
}

#[tokio::test]
async fn a_group_leaves_a_region_its_country_is_removed_from() {
    // Arrange: a public group in DE, in europe.
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let berlin = app
        .provisional_group(&staff, &ada, "berlin-ops", "DE")
        .await;
    assert_eq!(berlin["region"], "europe");
    // Act: DE leaves europe and joins a new region.
    redraw(&app, &staff, "europe", &["FR"]).await;
    app.region(&staff, "central", &["DE"], 3).await;
    // Assert
    assert_eq!(
        read_ok(&app, None, "berlin-ops").await["region"],
        "central",
        "a DE group belongs to the region that now holds DE"
    );
    assert_eq!(
        listed(&app, None, "?region=europe").await,
        Vec::<String>::new()
    );
    let response = app
        .get("/v1/regions/central/groups/attention", Some(&staff.token))
        .await;
    assert_eq!(slugs_of(&body(response).await), ["berlin-ops"]);
}

#[tokio::test]
async fn a_pending_group_is_404_for_anonymous_other_members_and_other_regions_ambassadors() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Act / Assert
    for (who, token) in [
        ("anonymous", None),
        ("another member", Some(eve.token.as_str())),
        (
            "an ambassador of another region",
            Some(kenji.token.as_str()),
        ),
    ] {
        for path in [
            format!("/v1/groups/{id}"),
            "/v1/groups/lyon-operators".to_owned(),
            format!("/v1/groups/{id}/health"),
            format!("/v1/groups/{id}/organizers"),
            format!("/v1/groups/{id}/events"),
        ] {
            let response = app.get(&path, token).await;
            assert_problem(response, 404, "not_found").await;
        }
        assert_eq!(
            listed(&app, token, "").await,
            Vec::<String>::new(),
            "{who} does not list it"
        );
    }
}

#[tokio::test]
async fn a_pending_group_is_seen_by_its_organizers_its_regions_ambassadors_and_staff() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Another region's pending group, which only staff and its organizer see.
    let tokyo = app.group(&ada, "tokyo-operators", "JP").await;
    assert_eq!(
        listed(&app, Some(&marie.token), "").await,
        ["lyon-operators"]
    );
    assert_problem(
        read(&app, Some(&marie.token), &id_of(&tokyo)).await,
        404,
        "not_found",
    )
    .await;
    for (who, member) in [
        ("organizer", &ada),
        ("ambassador", &marie),
        ("staff", &staff),
    ] {
        let token = Some(member.token.as_str());
        assert_eq!(read_ok(&app, token, &id).await, group, "{who} by id");
        assert_eq!(
            read_ok(&app, token, "lyon-operators").await,
            group,
            "{who} by slug"
        );
        assert_eq!(health(&app, token, &id).await["organizers"], 1, "{who}");
        assert_eq!(organizers_of(&app, token, &id).await.len(), 1, "{who}");
        let response = app.get(&format!("/v1/groups/{id}/events"), token).await;
        assert_eq!(response.status(), StatusCode::OK, "{who} reads events");
        assert_eq!(body(response).await["items"], json!([]));
        let expected: &[&str] = if who == "ambassador" {
            &["lyon-operators"]
        } else {
            &["lyon-operators", "tokyo-operators"]
        };
        assert_eq!(listed(&app, token, "").await, expected, "{who} lists it");
    }
}

#[tokio::test]
async fn an_unknown_group_is_404_by_slug_or_id_even_to_staff() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    assert_problem(
        read(&app, Some(&staff.token), "no-such-group").await,
        404,
        "not_found",
    )
    .await;
    let unknown = Uuid::new_v4().to_string();
    assert_problem(
        read(&app, Some(&staff.token), &unknown).await,
        404,
        "not_found",
    )
    .await;
}
