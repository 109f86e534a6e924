//! `PATCH /v1/regions/{slug}`: new countries and seats, `If-Match`, validation, races.

use liaison_tests::{assert_problem, body, count, error_fields, etag, region_request, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use super::{create, read};

/// `PATCH /v1/regions/{slug}` with an optional `If-Match`.
async fn patch(
    app: &TestApp,
    token: Option<&str>,
    slug: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/regions/{slug}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

#[tokio::test]
async fn a_country_of_another_region_is_409_country_taken_on_patch_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let europe = create(&app, &staff.token, &region_request("europe", &["FR"])).await;
    let americas = create(
        &app,
        &staff.token,
        &region_request("americas", &["US", "CA"]),
    )
    .await;
    let response = patch(
        &app,
        Some(&staff.token),
        "americas",
        None,
        &json!({"name": "The Americas", "countries": ["US", "MX", "FR"], "ambassador_seats": 9}),
    )
    .await;
    let problem = assert_problem(response, 409, "country_taken").await;
    assert_eq!(error_fields(&problem), ["countries"]);
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("FR")));
    // Neither region changed: not the name, not the seats, not CA dropped nor MX added.
    assert_eq!(read(&app, "americas").await, americas);
    assert_eq!(read(&app, "europe").await, europe);
    assert_eq!(count(&app.db, "region_countries").await, 3);
}

#[tokio::test]
async fn an_invalid_region_patch_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let europe = create(&app, &staff.token, &region_request("europe", &["FR"])).await;
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        None,
        &json!({"name": "x", "countries": ["DE", "ZZ"], "ambassador_seats": 1001}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["name", "ambassador_seats", "countries[1]"]
    );
    assert_eq!(read(&app, "europe").await, europe);
    assert_eq!(count(&app.db, "region_countries").await, 1);
}

#[tokio::test]
async fn patching_a_region_replaces_its_countries_and_seats() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region_request("europe", &["FR", "DE"])).await;
    let current = etag(&app.get("/v1/regions/europe", None).await);
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        Some(&current),
        &json!({"countries": ["it", "FR", "ES"], "ambassador_seats": 5}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let updated = body(response).await;
    assert_eq!(updated["countries"], json!(["ES", "FR", "IT"]));
    assert_eq!(updated["ambassador_seats"], 5);
    assert_eq!(updated["name"], "Region europe", "absent fields stay");
    let response = app.get("/v1/regions/europe", None).await;
    assert_eq!(etag(&response), returned_tag);
    assert_eq!(body(response).await, updated);
    // The dropped country is free for another region.
    create(&app, &staff.token, &region_request("central", &["DE"])).await;
    assert_eq!(count(&app.db, "region_countries").await, 4);
}

#[tokio::test]
async fn a_stale_if_match_on_a_region_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region_request("europe", &["FR"])).await;
    let stale = etag(&app.get("/v1/regions/europe", None).await);
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        None,
        &json!({"ambassador_seats": 4}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        Some(&stale),
        &json!({"ambassador_seats": 7, "countries": ["FR", "DE"]}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    let europe = read(&app, "europe").await;
    assert_eq!(europe["ambassador_seats"], 4);
    assert_eq!(europe["countries"], json!(["FR"]));
}

#[tokio::test]
async fn only_staff_change_regions() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let europe = create(&app, &staff.token, &region_request("europe", &["FR"])).await;
    let changes = json!({"ambassador_seats": 9});
    assert_problem(
        patch(&app, Some(&ada.token), "europe", None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(&app, None, "europe", None, &changes).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(read(&app, "europe").await, europe);
}

#[tokio::test]
async fn changing_an_unknown_region_is_404_and_creates_none() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = patch(
        &app,
        Some(&staff.token),
        "nowhere",
        None,
        &json!({"ambassador_seats": 2}),
    )
    .await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(count(&app.db, "regions").await, 0);
}

#[tokio::test]
async fn concurrent_patches_with_one_etag_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region_request("europe", &["FR"])).await;
    let tag = etag(&app.get("/v1/regions/europe", None).await);
    let changes: Vec<Value> = (0..10)
        .map(|i| json!({"ambassador_seats": 10 + i}))
        .collect();
    let calls = changes
        .iter()
        .map(|c| patch(&app, Some(&staff.token), "europe", Some(&tag), c));
    let responses = futures_util::future::join_all(calls).await;
    let mut winner = None;
    for (i, response) in responses.into_iter().enumerate() {
        if response.status() == StatusCode::OK {
            assert!(
                winner.is_none(),
                "a second writer got through with a stale ETag"
            );
            winner = Some(10 + i);
        } else {
            assert_problem(response, 412, "precondition_failed").await;
        }
    }
    let winner = winner.expect("one writer wins");
    assert_eq!(read(&app, "europe").await["ambassador_seats"], winner);
}
